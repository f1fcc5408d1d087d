// Plain ES5 for old Android browsers and WeChat's built-in browser: no framework, no build step.
(function () {
  var form = document.getElementById("composer");
  var log = document.getElementById("log");
  var box = document.getElementById("text");
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!form || !meta || !window.XMLHttpRequest || !window.JSON) { return; }
  var token = meta.getAttribute("content");
  var api = form.getAttribute("data-api");
  var send = form.querySelector("button[type=submit]");

  // A receipt, suggestion (第 2026-002 号) or phone number never breaks at its hyphens: half a number on each line is
  // no number. The server's receipts_whole keeps the same.
  var RECEIPT = /MS-\d{8}-\d+|[0-9*]+(?:-[0-9*]+)+/g;
  function words(p, text) {
    // never innerHTML: citizen text is shown exactly as typed
    var from = 0, found;
    RECEIPT.lastIndex = 0;
    while ((found = RECEIPT.exec(text)) !== null) {
      p.appendChild(document.createTextNode(text.slice(from, found.index)));
      var number = document.createElement("span");
      number.className = "nowrap";
      number.textContent = found[0];
      p.appendChild(number);
      from = found.index + found[0].length;
    }
    p.appendChild(document.createTextNode(text.slice(from)));
  }
  // The text box sticks to the window's bottom edge over the end of the conversation, so a new bubble is scrolled to
  // just above the box's measured top (it grows with a long text), not to the window's edge where the box hides it;
  // a bubble taller than the room left shows its first words.
  function reveal(p) {
    var gap = 8;
    var room = document.documentElement.clientHeight - form.offsetHeight;
    var place = p.getBoundingClientRect();
    if (place.top < gap || place.bottom + gap > room) {
      window.scrollBy(0, Math.min(place.bottom + gap - room, place.top - gap));
    }
  }
  var newest = null;
  // The on-screen keyboard shrinks the window while the citizen writes: the answer they are replying to stays in view.
  if (window.addEventListener) {
    window.addEventListener("resize", function () {
      if (newest && document.activeElement === box) { reveal(newest); }
    });
  }

  // `links`: private progress pages; where the sentence gives one's address, the address is a link to tap.
  function bubble(text, who, links) {
    var p = document.createElement("p");
    p.className = "bubble " + who;
    var link = null, at = -1;
    for (var i = 0; links && i < links.length && at < 0; i++) { link = links[i]; at = text.indexOf(link); }
    if (at < 0) {
      words(p, text);
    } else {
      words(p, text.slice(0, at));
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "打开我的办理进度页";
      p.appendChild(a);
      words(p, text.slice(at + link.length));
    }
    log.appendChild(p);
    newest = p;
    reveal(p);
    return p;
  }

  // The receipt card: newest first, one unbroken line each, a copy button (clipboard API or a selection).
  var receipts = document.getElementById("receipts");
  function copy(button) {
    var text = button.getAttribute("data-copy");
    function done() { button.textContent = "已复制"; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { select(text); });
    } else { select(text); }
    function select(value) {
      var field = document.createElement("textarea");
      field.value = value;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* the number stays selectable */ }
      document.body.removeChild(field);
    }
  }
  // `said`: what the receipt is for, under its number (the server shortens and masks it); `link`: its progress page.
  function addReceipt(receipt, said, link) {
    var item = document.createElement("li");
    var number = document.createElement("span");
    number.className = "receipt";
    number.textContent = receipt;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.setAttribute("data-copy", receipt);
    button.setAttribute("aria-label", "复制回执号 " + receipt);
    button.textContent = "复制";
    item.appendChild(number);
    item.appendChild(button);
    if (link) {
      var page = document.createElement("a");
      page.className = "progress";
      page.href = link;
      page.textContent = "办理进度";
      item.appendChild(page);
    }
    if (said) {
      var words = document.createElement("span");
      words.className = "said";
      words.textContent = said;
      item.appendChild(words);
    }
    var list = receipts.getElementsByTagName("ul")[0];
    list.insertBefore(item, list.firstChild);
    receipts.hidden = false;
    receipts.removeAttribute("hidden");
  }
  if (receipts) {
    receipts.onclick = function (event) {
      var target = event.target || event.srcElement;
      if (target && target.className === "copy") { copy(target); }
    };
  }

  function post(url, body, contentType, onDone) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    if (contentType) { xhr.setRequestHeader("Content-Type", contentType); }
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      var reply = null;
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = null; }
      if (reply && reply.replies) {
        for (var i = 0; i < reply.replies.length; i++) { bubble(reply.replies[i], "bot", reply.links); }
        if (reply.receipt && receipts) {
          addReceipt(reply.receipt, reply.said, reply.progress);
          // the card, shown under the greeting, pushed the answer down: under the text box on a tall window
          reveal(newest);
        }
      } else {
        bubble("网络不太好，刚才的内容还没有发出去，请稍后再试。", "bot error");
      }
      onDone(xhr.status === 200);
    };
    xhr.send(body);
  }

  form.onsubmit = function (event) {
    if (event && event.preventDefault) { event.preventDefault(); }
    var text = box.value;
    if (!text.replace(/\s/g, "")) { box.focus(); return false; }
    send.disabled = true;
    var mine = bubble(text, "me");
    post(api, JSON.stringify({ text: text }), "application/json", function (ok) {
      send.disabled = false;
      // Refused or not delivered: the words stay in the box, not in the conversation as if sent.
      if (ok) { box.value = ""; } else { log.removeChild(mine); }
    });
    return false;
  };

  // Photos need JavaScript; without it the page still works for text.
  if (window.FormData) {
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/jpeg,image/png";
    picker.className = "visually-hidden";
    picker.id = "photo";
    var camera = document.createElement("label");
    camera.htmlFor = "photo";
    camera.className = "photo";
    camera.textContent = "图片";
    form.insertBefore(picker, box);
    form.insertBefore(camera, box);
    picker.onchange = function () {
      if (!picker.files || !picker.files[0]) { return; }
      var data = new FormData();
      data.append("image", picker.files[0]);
      bubble("[图片]", "me");
      post(api + "/image", data, null, function () { picker.value = ""; });
    };
  }
})();
