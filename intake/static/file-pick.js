// Shows the chosen file's name next to our own "选择文件" button; the browser's own file control is hidden
// because it speaks the browser's language, not the page's. Plain ES5, no framework.
(function () {
  var inputs = document.querySelectorAll("input[type=file][data-shows]");
  for (var i = 0; i < inputs.length; i++) {
    inputs[i].onchange = function () {
      var shows = document.getElementById(this.getAttribute("data-shows"));
      var file = this.files && this.files[0];
      shows.textContent = file ? "已选择：" + file.name : "未选择文件";
    };
  }
})();
