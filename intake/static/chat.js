// Plain ES5 for old Android browsers and WeChat's built-in browser: no framework, no build step.
(function () {
  var form = document.getElementById("composer");
  var log = document.getElementById("log");
  var box = document.getElementById("text");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  if (!form || !window.XMLHttpRequest || !window.JSON) { return; }

  function bubble(text, who) {
    var p = document.createElement("p");
    p.className = "bubble " + who;
    p.textContent = text;  // never innerHTML: citizen text is shown exactly as typed
    log.appendChild(p);
    p.scrollIntoView(false);
  }

  form.onsubmit = function (event) {
    var text = box.value;
    if (!text.replace(/\s/g, "")) { event.preventDefault(); box.focus(); return false; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    bubble(text, "me");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-api"));
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      button.disabled = false;
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (body && body.replies) {
        for (var i = 0; i < body.replies.length; i++) { bubble(body.replies[i], "bot"); }
        if (xhr.status === 200) { box.value = ""; }
      } else {
        bubble("网络不太好，您的话还没有发出去，请稍后再点“发送”。", "bot error");
      }
    };
    xhr.send(JSON.stringify({ text: text }));
    return false;
  };
})();
