// A field left empty or mistyped is named in Chinese: the browser's own message speaks the browser's language
// (Debian's Chromium: "Please check this box if you want to proceed."), not the page's. A field may give its own
// words in data-required. The server refuses the same forms in Chinese too. Plain ES5, no framework.
(function () {
  function label(field) {
    var named = field.labels && field.labels[0];
    var text = named ? named.textContent.replace(/\s+/g, " ").trim() : "";
    return text.length <= 16 ? text : "";
  }
  function said(field) {
    var v = field.validity, name = label(field);
    if (v.valueMissing) {
      if (field.getAttribute("data-required")) return field.getAttribute("data-required");
      if (field.type === "checkbox") return name ? "请先勾选“" + name + "”" : "请先勾选这一项";
      if (field.type === "radio") return "请选择其中一项";
      if (field.type === "file") return "请选择文件";
      if (field.tagName === "SELECT") return name ? "请选择" + name : "请选择一项";
      return name ? "请填写" + name : "请填写这一项";
    }
    if (v.typeMismatch) return field.type === "email" ? "请填写正确的电子邮箱地址" : "请填写正确的网址";
    if (v.patternMismatch) return field.title || "格式不对，请检查";
    if (v.tooShort) return "至少要 " + field.minLength + " 个字";
    if (v.rangeUnderflow) return "不能小于 " + field.min;
    if (v.rangeOverflow) return "不能大于 " + field.max;
    return "填写的内容不对，请检查";
  }
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    field.setCustomValidity("");  // the field's own state, not the message given last time
    if (!field.validity.valid) field.setCustomValidity(said(field));
  }, true);
  function cleared(event) {
    var field = event.target;
    if (!field.setCustomValidity) return;
    var group = field.type === "radio" && field.form && field.name ? field.form.querySelectorAll("input[type=radio]") : [field];
    for (var i = 0; i < group.length; i++) if (group[i].name === field.name) group[i].setCustomValidity("");
  }
  document.addEventListener("input", cleared, true);
  document.addEventListener("change", cleared, true);
})();
