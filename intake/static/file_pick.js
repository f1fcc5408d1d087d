// A file field in Chinese whatever the browser's language: the native field is hidden behind a label styled
// as a button, and the chosen file's name is written beside it.
document.querySelectorAll("input[type=file][data-chosen]").forEach(function (input) {
  var shown = document.getElementById(input.dataset.chosen);
  input.addEventListener("change", function () {
    shown.textContent = input.files.length ? "已选：" + input.files[0].name : "未选择文件";
  });
});
