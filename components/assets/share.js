// «Скопировать ссылку» (components/share.py): copies the address of the current view.
export default function (component) {
  const root = component.parentElement;
  const button = root.querySelector(".share");
  const note = root.querySelector(".note");
  button.onclick = async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = "Ссылка скопирована: откроет этот же вид";
    } catch {
      const field = document.createElement("textarea");
      field.value = link;
      document.body.appendChild(field);
      field.select();
      const copied = document.execCommand("copy");
      field.remove();
      note.textContent = copied
        ? "Ссылка скопирована: откроет этот же вид"
        : "Скопируйте адрес из адресной строки браузера";
    }
  };
}
