"""Today's subscriber counts collected from the platforms' public APIs: VK, OK, Telegram, MAX.

Each collector turns a list of pages into one result per page (a count, or a Russian reason why
not); `collect` runs the configured ones, each at most `collect_rps` (MAX: `max_rps`) requests a second, and writes
the counts through the same write path as a file upload (importers.apply_subscribers), dated the
day of collection in Novosibirsk. Tokens go only into requests: messages and logs show them as
«***».

Followed: VK groups.getById and its error codes (https://dev.vk.com/ru/method/groups.getById,
https://dev.vk.com/ru/reference/errors), wall.get and execute for the posts of up to 25 pages in
one request (https://dev.vk.com/ru/method/wall.get, https://dev.vk.com/ru/method/execute); OK
group.getInfo, url.getInfo and the request signature
(https://apiok.ru/dev/methods/rest/group/group.getInfo, https://apiok.ru/dev/methods); Telegram Bot
API getChatMemberCount (https://core.telegram.org/bots/api#getchatmembercount); MAX Bot API
GET /chats/{chatLink} (https://dev.max.ru/docs-api/methods/GET/chats/-chatLink-).
"""

from __future__ import annotations

import collections
import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

import requests

from data_access.measurements import CADENCE_DAYS, POSTS_READ

log = logging.getLogger(__name__)

# What a person reads for a page that failed.
DELETED = "страница удалена"
BLOCKED = "страница заблокирована"
CLOSED = "страница закрыта"
BAD_LINK = "неверная ссылка"
RATE_LIMITED = "лимит запросов"
NO_ANSWER = "нет ответа"
ACCESS_DENIED = "нет доступа к странице"
UNEXPECTED = "площадка ответила не так, как описано в её документации"
# What a malformed answer raises while it is read; caught per page (Telegram, MAX), per batch (VK,
# OK) and, for anything else, per platform (collect.py): never the whole run.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)

VK_BATCH = 500
VK_EXECUTE_CALLS = 25  # execute runs at most 25 API calls per request
OK_BATCH = 100
TIMEOUT_SECONDS = 15
RETRIES = 4
BACKOFF_SECONDS = 1.0


class FatalError(Exception):
    """The whole platform cannot be collected (a bad token): its remaining pages are not asked."""


class PageFailed(Exception):
    """One request failed for a reason that a retry will not change."""


@dataclass(frozen=True)
class Target:
    page_id: int
    url: str


@dataclass
class Result:
    page_id: int
    platform: str
    subscribers: int | None = None
    reason: str = ""
    verified: bool | None = None  # VK: the blue tick of a confirmed community (not the госметка)
    government_mark: bool | None = None  # VK: is_government_organization — the госметка; None if not answered
    trust_mark: int | None = None  # VK: trust_mark as answered (its own scale), kept as it is
    group_id: int | None = None  # VK: the community's number, for the posts step

    @property
    def ok(self) -> bool:
        return self.subscribers is not None


@dataclass
class Wall:
    """A VK page's last posts, summed: how many came out in the 7 days before `now`, and the views,
    likes, comments and reposts of all posts read. `reason` when they could not be read."""

    page_id: int
    posts_7d: int | None = None
    posts_read: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    reposts: int | None = None
    reason: str = ""
    # Each post read, for matching to the newsroom's materials (wall_posts.save): post_id, posted_at,
    # views, likes, comments, reposts, text, copied («owner_id_id» it reposts), links.
    posts: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass
class Limiter:
    """At most `rate` requests in any one-second window (shared by the threads of one platform):
    evenly spaced, and never a request sooner than a second (plus a margin for the scheduler)
    after the one `rate` requests before it — even spacing alone lets a window that starts on a
    request hold rate + 1 of them."""

    rate: float
    margin: float = 0.02
    _next: float = 0.0
    _recent: collections.deque = field(default_factory=collections.deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        # The lock is held through the sleep: the threads of a platform queue here for their turn
        # anyway, and each turn is counted from when its request really leaves (a late wake-up
        # moves the next one on, so no window gets one more).
        with self._lock:
            now = time.monotonic()
            moment = max(now, self._next)
            window = max(1, math.floor(self.rate))
            if len(self._recent) >= window:
                moment = max(moment, self._recent[-window] + 1.0 + self.margin)
            if moment > now:
                time.sleep(moment - now)
            sent = time.monotonic()
            self._next = sent + 1 / self.rate
            self._recent.append(sent)
            while len(self._recent) > window:
                self._recent.popleft()


class _Redact(logging.Filter):
    """Replaces the tokens in log records — of the HTTP library (which logs request lines, and a
    Telegram token is part of the path) and of the collectors, tracebacks included (an exception
    may quote a server's answer that echoes the request)."""

    secrets: set[str] = set()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), ()
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


_REDACT = _Redact()
for _logger in ("urllib3.connectionpool", __name__, "data_access.collect"):
    logging.getLogger(_logger).addFilter(_REDACT)


def redact(text: str) -> str:
    """`text` without any token a collector of this process was given."""
    return _REDACT.redact(text)


class Client:
    """HTTP with a rate limit, timeouts and retries; a secret never appears in what it raises or logs."""

    def __init__(self, rate: float, secrets: Iterable[str], sleep: Callable[[float], None] = time.sleep):
        self.limiter = Limiter(rate)
        self.session = requests.Session()
        self.secrets = [secret for secret in secrets if secret]
        _REDACT.secrets.update(self.secrets)
        self.sleep = sleep
        self.requests = 0

    def redact(self, text: str) -> str:
        return redact(text)

    def get(
        self,
        url: str,
        params: dict | None = None,
        headers: dict | None = None,
        retry_statuses: tuple[int, ...] = (429, 500, 502, 503, 504),
        form: dict | None = None,
    ) -> tuple[int, object]:
        """(HTTP status, parsed JSON) after retrying rate limits, 5xx, timeouts and broken answers.
        PageFailed with a Russian reason when retries did not help."""
        reason = NO_ANSWER
        for attempt in range(RETRIES):
            self.limiter.wait()
            self.requests += 1
            try:
                if form is not None:  # tokens in the body, not in a URL that proxies and logs keep
                    response = self.session.post(url, data=form, headers=headers, timeout=TIMEOUT_SECONDS)
                else:
                    response = self.session.get(url, params=params, headers=headers, timeout=TIMEOUT_SECONDS)
            except requests.RequestException as error:
                log.warning("request failed: %s", self.redact(str(error)))
                reason = NO_ANSWER
                self.sleep(BACKOFF_SECONDS * 2**attempt)
                continue
            if response.status_code in retry_statuses:
                reason = RATE_LIMITED if response.status_code == 429 else NO_ANSWER
                wait = _retry_after(response) or BACKOFF_SECONDS * 2**attempt
                log.warning(
                    "HTTP %s from %s, retrying in %.1f s",
                    response.status_code,
                    self.redact(urlsplit(response.url).path),
                    wait,
                )
                self.sleep(wait)
                continue
            try:
                return response.status_code, response.json()
            except ValueError:
                log.warning(
                    "not JSON (HTTP %s) from %s", response.status_code, self.redact(urlsplit(response.url).path)
                )
                reason = NO_ANSWER
                self.sleep(BACKOFF_SECONDS * 2**attempt)
        raise PageFailed(reason)


def _retry_after(response: requests.Response) -> float | None:
    try:
        header = response.headers.get("Retry-After")
        if header:
            return min(float(header), 60.0)
        body = response.json()
        seconds = body.get("parameters", {}).get("retry_after") if isinstance(body, dict) else None
        return min(float(seconds), 60.0) if seconds else None
    except (ValueError, AttributeError, TypeError):
        return None


def page_name(url: str) -> str:
    """The page's own name in its canonical link: «https://vk.com/club123» → «club123»,
    «https://ok.ru/group/5712» → «5712», «https://max.ru/ds105» → «ds105»."""
    path = [part for part in urlsplit(url).path.split("/") if part]
    if not path:
        return ""
    if path[0] == "group" and len(path) > 1:
        return path[1]
    return path[0].lstrip("@")


# --- VK ------------------------------------------------------------------------------------

VK_RETRY_CODES = {6, 9, 10, 29}  # too many per second, flood control, internal error, rate limit
VK_FATAL_CODES = {5}  # authorisation failed: the token is wrong or expired
VK_PAGE_CODES = {15: ACCESS_DENIED, 203: ACCESS_DENIED, 100: BAD_LINK}
# The group object's fields we read (https://dev.vk.com/ru/reference/objects/group): the count, the
# blue «verified» tick of a confirmed community, and the government-organisation mark — the
# госметка — which VK's own clients request as `is_government_organization` next to `trust_mark`.
VK_GROUP_FIELDS = "members_count,verified,is_government_organization,trust_mark"


def _vk_keys(group: dict) -> set[str]:
    number = str(group.get("id", ""))
    keys = {number, f"club{number}", f"public{number}", f"event{number}"}
    if group.get("screen_name"):
        keys.add(str(group["screen_name"]).lower())
    return keys


class VkCollector:
    platform = "vk"

    def __init__(self, client: Client, api_url: str, token: str, version: str):
        self.client, self.api_url, self.token, self.version = client, api_url.rstrip("/"), token, version

    def collect(self, targets: list[Target]) -> list[Result]:
        results = []
        for start in range(0, len(targets), VK_BATCH):
            results += self._batch(targets[start : start + VK_BATCH])
        return results

    def _method(self, method: str, params: dict[str, str]) -> tuple[object, list]:
        """(response, execute_errors) of one API method; retries rate limits and internal errors."""
        for attempt in range(RETRIES):
            _, body = self.client.get(
                f"{self.api_url}/{method}", form={**params, "v": self.version, "access_token": self.token}
            )
            if not isinstance(body, dict):
                raise PageFailed(NO_ANSWER)
            if "error" in body:
                code = (_number(body["error"].get("error_code")) or 0) if isinstance(body["error"], dict) else 0
                if code in VK_FATAL_CODES:
                    raise FatalError("VK отклонил токен (ошибка 5: авторизация не удалась) — проверьте vk_token.")
                if code in VK_RETRY_CODES:
                    self.client.sleep(BACKOFF_SECONDS * 2**attempt)
                    continue
                raise PageFailed(VK_PAGE_CODES.get(code, NO_ANSWER))
            errors = body.get("execute_errors")
            return body.get("response"), errors if isinstance(errors, list) else []
        raise PageFailed(RATE_LIMITED)

    def _call(self, names: list[str]) -> list[dict]:
        response, _ = self._method("groups.getById", {"group_ids": ",".join(names), "fields": VK_GROUP_FIELDS})
        groups = response.get("groups", []) if isinstance(response, dict) else response  # both documented shapes
        if not isinstance(groups, list):
            raise PageFailed(NO_ANSWER)
        return [group for group in groups if isinstance(group, dict)]

    def walls(self, pages: list[tuple[int, int]], now: datetime) -> list[Wall]:
        """The last posts of each (page id, community number), 25 pages per execute request; a
        page whose wall cannot be read (closed, deleted) fails alone."""
        results = []
        for start in range(0, len(pages), VK_EXECUTE_CALLS):
            chunk = pages[start : start + VK_EXECUTE_CALLS]
            # Only integers go into the script: nothing from a page's link or name.
            code = (
                "return ["
                + ",".join(
                    f'API.wall.get({{"owner_id":-{int(group_id)},"count":{POSTS_READ}}})' for _, group_id in chunk
                )
                + "];"
            )
            try:
                answers, _ = self._method("execute", {"code": code})
            except PageFailed as failure:
                results += [Wall(page_id, reason=str(failure)) for page_id, _ in chunk]
                continue
            answers = answers if isinstance(answers, list) else []
            for index, (page_id, _) in enumerate(chunk):
                try:
                    results.append(_wall(page_id, answers[index] if index < len(answers) else None, now))
                except MALFORMED:
                    results.append(Wall(page_id, reason=UNEXPECTED))
        return results

    def _batch(self, targets: list[Target]) -> list[Result]:
        try:
            return self._read_batch(targets)
        except MALFORMED:
            log.warning("VK: a malformed groups.getById answer for %d pages", len(targets), exc_info=True)
            return [Result(target.page_id, self.platform, reason=UNEXPECTED) for target in targets]

    def _read_batch(self, targets: list[Target]) -> list[Result]:
        names = [page_name(target.url).lower() for target in targets]
        try:
            groups = self._call(names)
        except PageFailed as failure:
            if len(targets) > 1 and str(failure) in (BAD_LINK, ACCESS_DENIED):
                middle = len(targets) // 2  # one bad name fails the batch: find it by halves
                return self._batch(targets[:middle]) + self._batch(targets[middle:])
            return [Result(target.page_id, self.platform, reason=str(failure)) for target in targets]
        found = {key: answer for answer in groups for key in _vk_keys(answer)}
        results = []
        for target, name in zip(targets, names):
            group = found.get(name)
            if group is None:
                results.append(Result(target.page_id, self.platform, reason=BAD_LINK))
            elif group.get("deactivated"):
                reason = BLOCKED if group["deactivated"] == "banned" else DELETED
                results.append(Result(target.page_id, self.platform, reason=reason))
            elif group.get("members_count") is None:
                results.append(Result(target.page_id, self.platform, reason=CLOSED))
            elif _count_value(group["members_count"]) is None:
                results.append(Result(target.page_id, self.platform, reason=UNEXPECTED))
            else:
                results.append(
                    Result(
                        target.page_id,
                        self.platform,
                        subscribers=_count_value(group["members_count"]),
                        verified=bool(group.get("verified")),
                        government_mark=_flag(group.get("is_government_organization")),
                        trust_mark=_number(group.get("trust_mark")),
                        group_id=_number(group.get("id")),
                    )
                )
        return results


def _flag(value) -> bool | None:
    """A VK yes/no field (true/false or 1/0); None when the answer lacks it or it is not a flag."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _count_value(value) -> int | None:
    """A subscriber count as the API gives it: a whole number of at least 0 (a JSON integer, or a
    string of digits, as OK sends it); None for anything else (a float, «boom», −5, true)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _count(post: dict, name: str) -> int:
    """`post[name]["count"]`, 0 when VK leaves it out (views of very old posts)."""
    value = post.get(name)
    if not isinstance(value, dict):
        return 0
    return _number(value.get("count")) or 0


def _wall(page_id: int, answer, now: datetime) -> Wall:
    """One wall.get answer inside execute; `false` (its error is in execute_errors) — closed."""
    if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
        return Wall(page_id, reason=CLOSED)
    posts = [post for post in answer["items"] if isinstance(post, dict)]
    since = (now - timedelta(days=CADENCE_DAYS)).timestamp()
    return Wall(
        page_id,
        posts_7d=sum(1 for post in posts if (_number(post.get("date")) or 0) >= since),
        posts_read=len(posts),
        views=sum(_count(post, "views") for post in posts),
        likes=sum(_count(post, "likes") for post in posts),
        comments=sum(_count(post, "comments") for post in posts),
        reposts=sum(_count(post, "reposts") for post in posts),
        posts=[record for record in map(_post_record, posts) if record is not None],
    )


POST_TEXT_CHARS = 4000


def _post_record(post: dict) -> dict | None:
    """One wall.get post as the store keeps it (https://dev.vk.com/ru/reference/objects/post): its
    id, owner and time, counts, text, the posts it copies (copy_history) and its link attachments;
    None for a post without an id, owner or time."""
    number, owner, moment = _number(post.get("id")), _number(post.get("owner_id")), _number(post.get("date"))
    if number is None or owner is None or moment is None:
        return None
    history = _list_of(post, "copy_history")
    copied = [
        f"{_number(item.get('owner_id'))}_{_number(item.get('id'))}"
        for item in history
        if isinstance(item, dict) and _number(item.get("owner_id")) is not None and _number(item.get("id")) is not None
    ]
    attachments = _list_of(post, "attachments")
    links = [
        str(item["link"]["url"])[:500]
        for item in attachments
        if isinstance(item, dict)
        and item.get("type") == "link"
        and isinstance(item.get("link"), dict)
        and isinstance(item["link"].get("url"), str)
    ]
    text = post["text"] if isinstance(post.get("text"), str) else ""
    return {
        "post_id": number,
        "owner_id": owner,
        "posted_at": datetime.fromtimestamp(moment, UTC),
        "views": _count(post, "views"),
        "likes": _count(post, "likes"),
        "comments": _count(post, "comments"),
        "reposts": _count(post, "reposts"),
        "text": text[:POST_TEXT_CHARS],
        "copied": copied,
        "links": links,
    }


# --- OK ------------------------------------------------------------------------------------

OK_FATAL_CODES = {102, 103, 104}  # session expired / invalid, signature wrong
OK_RETRY_CODES = {1, 2, 5000}  # unknown error, service unavailable


def ok_signature(params: dict[str, str], access_token: str, secret: str) -> str:
    """OK's request signature: MD5 of the sorted «key=value» pairs (without the access token) and
    MD5(access_token + application secret key), lower case."""
    session_secret = hashlib.md5((access_token + secret).encode(), usedforsecurity=False).hexdigest().lower()
    joined = "".join(f"{key}={params[key]}" for key in sorted(params) if key not in ("access_token", "session_key"))
    return hashlib.md5((joined + session_secret).encode(), usedforsecurity=False).hexdigest().lower()


class OkCollector:
    platform = "ok"

    def __init__(self, client: Client, api_url: str, application_key: str, access_token: str, secret: str):
        self.client, self.api_url = client, api_url.rstrip("/")
        self.application_key, self.access_token, self.secret = application_key, access_token, secret

    def _call(self, method: str, params: dict[str, str]) -> object:
        signed = {"method": method, "application_key": self.application_key, "format": "json", **params}
        signed["sig"] = ok_signature(signed, self.access_token, self.secret)
        signed["access_token"] = self.access_token
        for attempt in range(RETRIES):
            _, body = self.client.get(f"{self.api_url}/fb.do", form=signed)
            if isinstance(body, dict) and "error_code" in body:
                code = _number(body.get("error_code")) or 0
                if code in OK_FATAL_CODES:
                    raise FatalError(
                        f"OK отклонил ключи приложения (ошибка {code}) — проверьте ok_application_key, "
                        "ok_access_token и ok_secret."
                    )
                if code in OK_RETRY_CODES:
                    self.client.sleep(BACKOFF_SECONDS * 2**attempt)
                    continue
                raise PageFailed(BAD_LINK if code in (100, 300) else ACCESS_DENIED if code == 455 else NO_ANSWER)
            return body
        raise PageFailed(RATE_LIMITED)

    def _group_id(self, target: Target) -> str:
        name = page_name(target.url)
        if name.isdigit():
            return name
        body = self._call("url.getInfo", {"url": target.url})
        if isinstance(body, dict) and body.get("type") == "GROUP" and body.get("objectId"):
            return str(body["objectId"])
        raise PageFailed(BAD_LINK)

    def collect(self, targets: list[Target]) -> list[Result]:
        results: dict[int, Result] = {}
        ids: dict[str, list[Target]] = {}  # two registry pages may name the same group
        for target in targets:
            try:
                ids.setdefault(self._group_id(target), []).append(target)
            except PageFailed as failure:
                results[target.page_id] = Result(target.page_id, self.platform, reason=str(failure))
            except MALFORMED:
                results[target.page_id] = Result(target.page_id, self.platform, reason=UNEXPECTED)
        chunk_ids = list(ids)
        for start in range(0, len(chunk_ids), OK_BATCH):
            chunk = chunk_ids[start : start + OK_BATCH]
            try:
                body = self._call("group.getInfo", {"uids": ",".join(chunk), "fields": "members_count,uid"})
                groups = body.get("groups", []) if isinstance(body, dict) else body
                found = {
                    str(group.get("uid")): group
                    for group in (groups if isinstance(groups, list) else [])
                    if isinstance(group, dict)
                }
            except PageFailed as failure:
                found, reason = {}, str(failure)
            except MALFORMED:
                log.warning("OK: a malformed group.getInfo answer", exc_info=True)
                found, reason = {}, UNEXPECTED
            else:
                reason = BAD_LINK
            for group_id in chunk:
                group = found.get(group_id)
                for target in ids[group_id]:
                    if group is None or group.get("members_count") is None:
                        results[target.page_id] = Result(
                            target.page_id, self.platform, reason=CLOSED if group is not None else reason
                        )
                    elif _count_value(group["members_count"]) is None:
                        results[target.page_id] = Result(target.page_id, self.platform, reason=UNEXPECTED)
                    else:
                        results[target.page_id] = Result(
                            target.page_id, self.platform, subscribers=_count_value(group["members_count"])
                        )
        return [results[target.page_id] for target in targets]


# --- Telegram and MAX: one request per channel ---------------------------------------------


class TelegramCollector:
    platform = "telegram"

    def __init__(self, client: Client, api_url: str, token: str):
        self.client, self.api_url, self.token = client, api_url.rstrip("/"), token

    def one(self, target: Target) -> Result:
        name = page_name(target.url)
        status, body = self.client.get(
            f"{self.api_url}/bot{self.token}/getChatMemberCount", params={"chat_id": f"@{name}"}
        )
        if isinstance(body, dict) and body.get("ok") is True:
            count = _count_value(body.get("result"))
            if count is None or isinstance(body.get("result"), str):
                return Result(target.page_id, self.platform, reason=UNEXPECTED)
            return Result(target.page_id, self.platform, subscribers=count)
        code = (_number(body.get("error_code")) or status) if isinstance(body, dict) else status
        if code == 401 or status == 401:
            raise FatalError("Telegram отклонил токен бота (401) — проверьте telegram_bot_token.")
        description = str(body.get("description", "")).lower() if isinstance(body, dict) else ""
        if code == 400 and "not found" in description:
            return Result(target.page_id, self.platform, reason=BAD_LINK)
        if code == 403:
            return Result(target.page_id, self.platform, reason=CLOSED)
        return Result(target.page_id, self.platform, reason=BAD_LINK if code == 400 else NO_ANSWER)

    def collect(self, targets: list[Target]) -> list[Result]:
        return _each(self, targets)


class MaxCollector:
    platform = "max"

    def __init__(self, client: Client, api_url: str, token: str):
        self.client, self.api_url, self.token = client, api_url.rstrip("/"), token

    def one(self, target: Target) -> Result:
        name = page_name(target.url)
        status, body = self.client.get(
            f"{self.api_url}/chats/{quote(name, safe='')}", headers={"Authorization": self.token}
        )
        if status == 401:
            raise FatalError("MAX отклонил токен бота (401) — проверьте max_token.")
        if status == 404:
            return Result(target.page_id, self.platform, reason=BAD_LINK)
        if status == 403:
            return Result(target.page_id, self.platform, reason=ACCESS_DENIED)
        if status != 200 or not isinstance(body, dict):
            return Result(target.page_id, self.platform, reason=NO_ANSWER)
        if body.get("status") in ("closed", "removed"):
            return Result(target.page_id, self.platform, reason=CLOSED if body["status"] == "closed" else DELETED)
        count = body.get("participants_count")
        if not isinstance(count, int) or _count_value(count) is None:
            return Result(target.page_id, self.platform, reason=UNEXPECTED)
        return Result(target.page_id, self.platform, subscribers=count)

    def collect(self, targets: list[Target]) -> list[Result]:
        return _each(self, targets)


def _each(collector, targets: list[Target]) -> list[Result]:
    """One request per page, a few at a time (the limiter keeps the pace); a failed page never
    stops the others, a rejected token stops the platform."""
    from concurrent.futures import ThreadPoolExecutor

    def run(target: Target) -> Result:
        try:
            return collector.one(target)
        except PageFailed as failure:
            return Result(target.page_id, collector.platform, reason=str(failure))
        except MALFORMED:
            log.warning("%s: a malformed answer for page %s", collector.platform, target.page_id, exc_info=True)
            return Result(target.page_id, collector.platform, reason=UNEXPECTED)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(run, targets))


def _list_of(answer: dict, key: str) -> list:
    """A list field of a platform's answer; anything else there counts as empty."""
    value = answer.get(key)
    return value if isinstance(value, list) else []
