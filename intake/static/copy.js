// A copy button for a secret shown once (an API key, a sign-in link): copies the text of the element named by
// data-copy-from and says 已复制 on the button itself. Without the clipboard API the text is selected, so a
// long press copies it. Plain ES5, no framework.
(function () {
  function copied(button) {
    button.textContent = "已复制";
  }
  function select(shown) {
    var range = document.createRange();
    range.selectNodeContents(shown);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function copy(button) {
    var shown = document.getElementById(button.getAttribute("data-copy-from"));
    var text = shown.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { select(shown); });
      return;
    }
    select(shown);
    try { if (document.execCommand("copy")) { copied(button); } } catch (e) { /* the text stays selected */ }
  }
  var buttons = document.querySelectorAll("button[data-copy-from]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].onclick = function () { copy(this); };
  }
})();
