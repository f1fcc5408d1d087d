"""Every citizen, deputy and staff page at a small phone, a common phone and a laptop: axe-core finds no
serious or critical accessibility problem, nothing sticks out of the screen (not even inside a scrolling
card) and no card touches its edge, no table column is squeezed below two characters, no number on a phone's
card line lacks its label, no separator dot ends or starts a line, no meta line breaks an item that fits a line, no
title, badge or fact leaves one character alone on a line or stops short of the line's end, no 《title》 in a fact
breaks though it fits, no count runs into its Chinese words, no placeholder is wider than its field, no phone's filter
field is narrower than its column, no link or button is named in English (PNG, Excel), no tick floats apart from its words or its fields' line, no page shows a shell command, no browser control shows its own (English) words,
no card ends in a band deeper than its padding or a line under its list's last item, no two buttons (or a button and its
hint) nearly touch, no two links run together, tiles of a row wrap alike, a line of controls has one height, no tick is
the browser's blue or off its card's text edge, no laptop drop-down is stretched beyond its choices,
no word of ours (二维码) or hyphenated name (X-Api-Key) breaks, no title ends on its bracket alone, no short button's
words wrap, no laptop table has a wide blank inside every row,
the heading is drawn with a Chinese font (fonts-noto-cjk), and a screenshot of each lands in
test-artifacts/pages/ to be looked at."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from typing import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select, update

from intake.models import (Assignment, AuditEntry, CoOpinion, Delivery, Deputy, Draft, DraftMessage, DraftStatus,
                           HandlingUnit, Message, Reply, StaffRole, StaffUser, Suggestion, SuggestionEvent,
                           SuggestionMessage, UnitContact, stages, utcnow)
from intake.labels import WHOLE_TERMS
from intake.services.console.accounts import hash_password
from intake.services.drafts import desk, invitations, review
from intake.services.lifecycle import handling
from intake.services.reception import links
from intake.services.reminders import milestones, outbox
from tests.conftest import ARTIFACTS, csrf_token
from tests.helpers import (add_staff, deputies, import_roster, report, send, set_password, sign_in_deputy,
                           sign_in_page, sign_in_staff, slug_of, write_roster)
from tests.test_browser import _say, browser, live_server, screenshot  # noqa: F401  (fixtures)

SIZES = [(320, 640), (390, 844), (1366, 768)]
SERIOUS = {"serious", "critical"}

# Layout faults axe does not see. An element counts only when it is drawn: not inside a clipped,
# visually hidden box (the pattern for text meant for screen readers alone).
LAYOUT = """(given) => {
  // A phone's browser widens its layout viewport to fit a page that is too wide: measure against the screen.
  const width = given || window.innerWidth, found = [];
  const drawn = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    for (let a = el; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.visibility === 'hidden' || (style.position === 'absolute' && style.clip !== 'auto')) return false;
    }
    return true;
  };
  const shown = (el) => {  // does any of its text reach the screen?
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      if (node.textContent.trim() && drawn(node.parentElement)) return true;
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.innerText || el.value || '').trim().slice(0, 20) + '"';
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('option, select') && el.tagName !== 'SELECT' || !drawn(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1)
      found.push('sticks out of the screen (' + Math.round(box.left) + '–' + Math.round(box.right) + ' px): ' +
                 name(el));
    if ((el.tagName === 'TH' || el.tagName === 'TD') && shown(el)) {
      const style = getComputedStyle(el);
      const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (inner < 2 * parseFloat(style.fontSize))
        found.push('column narrower than two characters (' + Math.round(inner) + ' px): ' + name(el));
    }
    if (el.classList.contains('card') && (box.left < 4 || box.right > width - 4))
      found.push('a card touching the edge of the screen (' + Math.round(box.left) + '–' + Math.round(box.right) +
                 ' px): ' + name(el));
    // A table row shown as a card: each cell its own line, none drawn over another (a floated tick or 编号
    // once made the title wrap beneath it).
    if (el.tagName === 'TR' && getComputedStyle(el).display === 'block') {
      const boxes = [...el.cells].filter(drawn).map((cell) => [cell, cell.getBoundingClientRect()]);
      for (const [i, [a, p]] of boxes.entries())
        for (const [b, q] of boxes.slice(i + 1))
          if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1)
            found.push('two lines of a card overlap: ' + name(a) + ' and ' + name(b));
    }
    // A card line that is a bare number: its column's header is hidden on a phone, so it needs its own label.
    if (el.tagName === 'TD' && getComputedStyle(el).display === 'block' && !el.dataset.label &&
        /^[\\d.,%\\s]+$/.test(el.innerText.trim()) && shown(el))
      found.push('a number without its label: ' + name(el));
    // A chart's words as a person reads them: at least 12 px high, none drawn over another.
    if (el.tagName === 'text' && el.closest('svg') && box.height < 12)
      found.push('chart words too small to read (' + box.height.toFixed(1) + ' px): ' + el.textContent.slice(0, 20));
    if (el.tagName === 'svg') {
      const words = [...el.querySelectorAll('text')].map((t) => [t, t.getBoundingClientRect()]);
      for (const [i, [a, p]] of words.entries())
        for (const [b, q] of words.slice(i + 1))
          if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1)
            found.push('chart words drawn over each other: ' + a.textContent + ' and ' + b.textContent);
    }
    if (el.tagName === 'INPUT' && ['file', 'date', 'time', 'datetime-local', 'month', 'week'].includes(el.type))
      found.push("the browser's own " + el.type + ' control (it speaks the browser\\'s language): ' + name(el));
  }
  // A date or time broken over two lines ("2026-12-" above "03") reads as two things, and so does a receipt number
  // broken at its hyphen ("留言 MS-" above "20261205-0007" in the audit log).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const dates = /\\d{4}-\\d{1,2}-\\d{1,2}(?: \\d{1,2}:\\d{2}(?::\\d{2})?)?|\\d{2}-\\d{2} \\d{2}:\\d{2}|MS-\\d{8}-\\d+/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!drawn(node.parentElement) || node.parentElement.closest('script, style, title')) continue;
    for (const match of node.textContent.matchAll(dates)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
      if (tops.size > 1) found.push('a date or receipt number broken over two lines: ' + match[0]);
    }
  }
  // A separator dot never ends a line: "办理期限 ·" above the date it belongs to reads as a list cut off.
  const texts = [];
  const all = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = all.nextNode(); node; node = all.nextNode())
    if (drawn(node.parentElement) && !node.parentElement.closest('script, style, title, textarea, option'))
      texts.push(node);
  const charBox = (node, at) => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    return [...range.getClientRects()].find((r) => r.width > 0);
  };
  for (const [i, node] of texts.entries()) {
    for (let at = node.textContent.indexOf('·'); at >= 0; at = node.textContent.indexOf('·', at + 1)) {
      const dot = charBox(node, at);
      if (!dot) continue;
      let next = null;
      for (let j = i, from = at + 1; j < texts.length && !next; j++, from = 0) {
        const k = texts[j].textContent.slice(from).search(/\\S/);
        if (k >= 0) next = charBox(texts[j], from + k);
      }
      if (next && next.top >= dot.bottom - 1)
        found.push('a separator dot ends a line: ' + node.textContent.trim().slice(0, 30));
      let before = null;
      for (let j = i, upto = at; j >= 0 && !before; j--, upto = j >= 0 ? texts[j].textContent.length : 0) {
        const k = texts[j].textContent.slice(0, upto).search(/\\S\\s*$/);
        if (k >= 0) before = charBox(texts[j], k);
      }
      if (before && dot.top >= before.bottom - 1)
        found.push('a separator dot starts a line: ' + node.textContent.trim().slice(0, 30));
    }
  }
  // A meta line's facts wrap as whole items: one that would fit a line is never broken over two.
  const lines = (el) => {  // its text's boxes, line by line: a box overlapping the line's height is on that line
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0).sort((a, b) => a.top - b.top);
    const grouped = [];
    for (const r of rects) {
      const line = grouped[grouped.length - 1];
      if (line && r.top < Math.max(...line.map((q) => q.bottom)) - 1) line.push(r);
      else grouped.push([r]);
    }
    return grouped;
  };
  for (const item of document.querySelectorAll('.meta > *')) {
    if (!drawn(item) || lines(item).length < 2) continue;
    const before = item.style.whiteSpace;
    item.style.whiteSpace = 'nowrap';
    const whole = item.getBoundingClientRect().width;
    item.style.whiteSpace = before;
    if (whole <= item.parentElement.clientWidth)
      found.push('a meta item broken though it fits a line: ' + name(item));
  }
  // A title, badge, fact, sentence, field's name or tile does not leave one character alone on its last line ("中"
  // under a whole line, 位） under 至少10), nor a link written out its last letter.
  const alone = (el, line) => {  // one letter or character on the line, punctuation aside
    const top = Math.min(...line.map((r) => r.top)) - 1;
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let count = 0;
    for (let node = walk.nextNode(); node; node = walk.nextNode())
      for (let at = 0; at < node.textContent.length; at++) {
        if (!/[\\p{L}\\p{N}]/u.test(node.textContent[at])) continue;
        const box = charBox(node, at);
        if (box && box.top >= top && ++count > 1) return false;
      }
    return count === 1;
  };
  for (const el of document.querySelectorAll('h1, h2, h3, .badge, .late, .meta > *, .drafts a, ul.plain a, td a, ' +
                                             'p, label, small, .counts li, td.url')) {
    if (!drawn(el) || !/[\\u4e00-\\u9fff]/.test(el.innerText) && !el.matches('td.url')) continue;
    const drawnLines = lines(el);
    if (drawnLines.length < 2) continue;
    const last = drawnLines[drawnLines.length - 1];
    const width = Math.max(...last.map((r) => r.right)) - Math.min(...last.map((r) => r.left));
    if (width < 1.5 * parseFloat(getComputedStyle(el).fontSize) || alone(el, last))
      found.push('one character alone on a line: ' + name(el));
  }
  // A title fills its lines and wraps where the line ends: a line before the last filling less than three
  // quarters of the width ("关于幸福小区路" over "灯问题的建议") leaves a blank beside it. A title with parts kept
  // whole (（2026年）, （码上说 API，), a unit's name after 编辑承办单位：) breaks before them by design.
  const keptWhole = (part) => getComputedStyle(part).whiteSpace === 'nowrap' ||
                                getComputedStyle(part).display === 'inline-block';
  for (const el of document.querySelectorAll('h1, h2, h3, .drafts a, ul.plain a, td a')) {
    if (!drawn(el) || !/[\\u4e00-\\u9fff]/.test(el.innerText) || [...el.querySelectorAll('*')].some(keptWhole)) continue;
    const drawnLines = lines(el);
    if (drawnLines.length < 2) continue;
    const host = getComputedStyle(el).display === 'inline' ? el.parentElement : el;  // a link's lines fill its cell
    const style = getComputedStyle(host), box = host.getBoundingClientRect();
    const left = box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth);
    const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    const short = drawnLines.slice(0, -1).some((line) => Math.max(...line.map((r) => r.right)) <
                                                        left + 0.75 * (right - left));
    if (short) found.push('a title balanced short of the line, a blank beside it: ' + name(el));
  }
  // A fact naming a draft keeps its 《title》 whole when the title fits a line.
  for (const item of document.querySelectorAll('.meta > *')) {
    if (!drawn(item)) continue;
    const walk = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode())
      for (const match of node.textContent.matchAll(/《[^》]*》/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const width = rects.reduce((sum, r) => sum + r.width, 0);
        if (new Set(rects.map((r) => Math.round(r.bottom))).size > 1 && width <= item.parentElement.clientWidth)
          found.push('a 《title》 broken though it fits a line: ' + match[0].slice(0, 20));
      }
  }
  // A count next to Chinese words is spaced the one way the pages use, wherever the page writes it (a heading, a
  // label, an error, a chart's bar): "2 条新留言", "第 2 轮", never "2条" (a name's long number,
  // 12345政务服务便民热线, is no count; a date is written 2026年12月1日). What people wrote is theirs: a citizen's
  // message, a reply, a field's content, and a draft's sections, which follow official documents (共有2位群众).
  // Each piece of text, and the short lines a count is often split over elements in (a badge, a fact, a heading).
  const runInto = /[\\u4e00-\\u9fff](?<![年月日])\\d{1,4}(?!\\d)|(?<!\\d)\\d{1,4}(?![\\d年月日号时分秒])[\\u4e00-\\u9fff]/;
  const theirs = 'textarea, .text, .message-text, .final-text';
  const pieces = [], counts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = counts.nextNode(); node; node = counts.nextNode())
    if (node.parentElement && !node.parentElement.matches('.section > p, .sources > summary'))
      pieces.push([node.parentElement, node.textContent]);
  for (const el of document.querySelectorAll('.badge, .late, .meta > *, h1, h2, h3'))
    if (!el.querySelector(theirs)) pieces.push([el, el.innerText]);
  for (const [el, text] of pieces) {
    if (el.closest('script, style, ' + theirs) || !drawn(el)) continue;
    const run = text.match(runInto);
    if (run) found.push('a number run into its Chinese words (' + run[0] + '): ' + name(el));
  }
  // A field's hint fits the field: a placeholder wrapped or cut off reads as half a sentence.
  const measure = document.createElement('canvas').getContext('2d');
  for (const field of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!drawn(field) || field.value) continue;
    const style = getComputedStyle(field);
    measure.font = style.fontSize + ' ' + style.fontFamily;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (measure.measureText(field.placeholder).width > room + 0.5)
      found.push('a placeholder wider than its field: ' + name(field) + ' ' + field.placeholder);
  }
  // A drop-down shows its choice whole: "幸福小区路…" is no draft's name. (Chromium's arrow takes about 20 px.)
  for (const select of document.querySelectorAll('select:not([multiple])')) {
    if (!drawn(select) || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select);
    measure.font = style.fontSize + ' ' + style.fontFamily;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    if (measure.measureText(select.options[select.selectedIndex].text).width > room + 0.5)
      found.push('a choice cut off in its box: ' + name(select) + ' ' + select.options[select.selectedIndex].text);
  }
  // On a phone a filter form's fields fill their column of the two: none narrower than the one beside it.
  if (window.innerWidth <= 760)
    for (const form of document.querySelectorAll('form.filters')) {
      if (!drawn(form)) continue;
      const column = (form.clientWidth - (parseFloat(getComputedStyle(form).columnGap) || 0)) / 2;
      for (const field of form.querySelectorAll('select, input:not([type=checkbox]):not([type=radio]):not([type=hidden])'))
        if (drawn(field) && field.getBoundingClientRect().width < column - 2)
          found.push('a filter field narrower than its column on a phone: ' + name(field));
    }
  // A link or button names what it does in Chinese: a format may follow in brackets, "PNG" alone is no name.
  // A link to code (an API schema's name) is code.
  for (const el of document.querySelectorAll('a, button, summary')) {
    // A receipt number or a file's own name (答复函.pdf) is what it is; only the words around them are ours.
    const words = (el.innerText || '').trim()
      .replace(/（[^）]*）|\\([^)]*\\)|MS-\\d+-\\d+|[^\\s：:]+\\.[A-Za-z0-9]{2,5}$/g, '');
    if (drawn(el) && !el.closest('code') && !el.querySelector('code') && !/^(https?:|\\/)/.test(words) && /[A-Za-z]{2,}/.test(words))
      found.push('English words in a link or button: ' + name(el));
  }
  // A tick sits beside its words, and among named fields on the line of their boxes, not above or apart.
  for (const label of document.querySelectorAll('label.check')) {
    const tick = label.querySelector('input[type=checkbox], input[type=radio]');
    const words = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!tick || !words || !drawn(tick)) continue;
    const box = tick.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(words);
    const line = [...range.getClientRects()].find((r) => r.width > 0);
    if (line && (Math.abs((box.top + box.bottom) / 2 - (line.top + line.bottom) / 2) > 3 || line.left - box.right > 16))
      found.push('a tick apart from its words: ' + name(label));
    const fields = label.closest('.fields');
    if (!fields) continue;
    for (const other of fields.querySelectorAll('input:not([type=checkbox]):not([type=hidden]), select')) {
      const o = other.getBoundingClientRect();
      if (drawn(other) && o.top < box.bottom && box.top < o.bottom &&
          Math.abs((o.top + o.bottom) / 2 - (box.top + box.bottom) / 2) > 3)
        found.push('a tick off the line of the fields beside it: ' + name(label));
    }
    // ... and the field after it follows its words, not a blank column later.
    const next = label.nextElementSibling, wordsEnd = range.getBoundingClientRect().right;
    if (next && drawn(next) && next.getBoundingClientRect().top < box.bottom &&
        next.getBoundingClientRect().left - wordsEnd > 48)
      found.push('a blank after a tick (' + Math.round(next.getBoundingClientRect().left - wordsEnd) + ' px): ' +
                 name(label));
  }
  // The menu says where one is: one item marked as the current page, and it looks different from the others. An
  // error page (找不到这个页面, 没有权限) is none of the menu's pages: it marks none (it once marked 留言队列). The
  // bar's 修改密码 beside 退出 is the item of its own page.
  const menu = [...document.querySelectorAll('header.bar nav a, nav.tabs a, header.bar a.account[aria-current]')]
    .filter(drawn);
  if (menu.length) {
    const current = menu.filter((a) => a.getAttribute('aria-current') === 'page');
    const look = (a) => getComputedStyle(a).fontWeight + getComputedStyle(a).boxShadow;
    const marks = document.getElementById('error-page') ? 0 : 1;
    if (current.length !== marks)
      found.push('the menu marks ' + current.length + ' items as the current page' + (marks ? '' : ' of an error'));
    else if (marks && menu.some((a) => a !== current[0] && look(a) === look(current[0])))
      found.push('the current menu item looks like the others: ' + name(current[0]));
  }
  // A card's padding is the space above its first line: no empty band above a back link, a search or a form.
  for (const card of document.querySelectorAll('.card')) {
    const first = [...card.children].find(drawn);
    if (!drawn(card) || !first || getComputedStyle(card).display !== 'block') continue;
    const style = getComputedStyle(card);
    const gap = first.getBoundingClientRect().top - card.getBoundingClientRect().top - parseFloat(style.paddingTop) -
                parseFloat(style.borderTopWidth);
    if (gap > 2) found.push('an empty band (' + Math.round(gap) + ' px) above a card\\'s first line: ' + name(first));
    // ... and a narrow form under the menu starts where the console's other cards do.
    const above = card.previousElementSibling;
    if (card.tagName === 'MAIN' && above && drawn(above) &&
        card.getBoundingClientRect().top - above.getBoundingClientRect().bottom > 1.5 * parseFloat(style.fontSize))
      found.push('a band above the page\\'s card: ' + name(card));
  }
  // The citizen's receipt card: below its last line no more space than above its first (it once ended in a
  // paragraph's margin).
  for (const card of document.querySelectorAll('.receipts')) {
    const last = [...card.children].filter(drawn).pop();
    if (!drawn(card) || !last || getComputedStyle(card).display !== 'block') continue;
    const style = getComputedStyle(card);
    const gap = card.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom -
                parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
    if (gap > 2) found.push('an empty band (' + Math.round(gap) + ' px) below a card\\'s last line: ' + name(last));
  }
  // An empty list says so in a sentence on the page's text edge, not in a table's lone cell indented by its padding
  // (暂无。 under 操作记录, 没有失败的任务。 under a header row over nothing).
  for (const cell of document.querySelectorAll('tbody > tr:only-child > td:only-child'))
    if (drawn(cell) && /^(暂无|没有|还没有|暂时没有|提醒消息都已)/.test(cell.innerText.trim()))
      found.push('an empty list said in a table cell: ' + name(cell));
  // A list's items are parted by a line; none is drawn under the last, above the card's own edge.
  for (const item of document.querySelectorAll('ul.plain > li:last-child'))
    if (drawn(item) && parseFloat(getComputedStyle(item).borderBottomWidth) > 0)
      found.push('a line under the last item of a list: ' + name(item));
  // Two buttons side by side are two targets: a finger's gap between them (确认附议 and 不附议 once nearly touched),
  // and a button's hint keeps its distance too (15 分钟内有效 once touched its button).
  const buttons = [...document.querySelectorAll('button, .button, button + small')].filter(drawn);
  for (const [i, a] of buttons.entries())
    for (const b of buttons.slice(i + 1)) {
      const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      const apart = Math.max(q.left - p.right, p.left - q.right);
      if (p.top < q.bottom - 1 && q.top < p.bottom - 1 && apart >= 0 && apart < 8)
        found.push('two buttons ' + Math.round(apart) + ' px apart: ' + name(a) + ' and ' + name(b));
    }
  // Tiles side by side say their words in as many lines each: one row, some labels wrapped and some not, reads
  // as uneven tiles.
  for (const tiles of document.querySelectorAll('ul.counts')) {
    const rows = new Map();
    for (const tile of [...tiles.children].filter(drawn)) {
      const top = Math.round(tile.getBoundingClientRect().top), bottoms = new Set();
      const walk = document.createTreeWalker(tile, NodeFilter.SHOW_TEXT);
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 0) bottoms.add(Math.round(r.bottom));
      }
      rows.set(top, [...(rows.get(top) || []), bottoms.size]);
    }
    for (const counts of rows.values())
      if (new Set(counts).size > 1) found.push('tiles of one row in ' + [...new Set(counts)].join(' and ') + ' lines');
  }
  // Links side by side are told apart: a dot or a gap between them, not 图片（PNG）矢量图（SVG） run together.
  for (const link of document.querySelectorAll('a + a')) {
    const before = link.previousElementSibling;
    if (!drawn(link) || !drawn(before) || link.previousSibling !== before && link.previousSibling.textContent.trim() ||
        /flex|grid/.test(getComputedStyle(link.parentElement).display))  // tabs and meta lines are laid out apart
      continue;
    const p = before.getBoundingClientRect(), q = link.getBoundingClientRect();
    if (p.top < q.bottom - 1 && q.top < p.bottom - 1 && q.left - p.right < 8)
      found.push('two links run together: ' + name(before) + ' and ' + name(link));
  }
  // A line of actions has one height: a file's button (选择名册文件) as tall as 预览 beside it, a key shown once as
  // tall as its copy button.
  for (const bar of document.querySelectorAll('.console .actions, .console .secret')) {
    const controls = [...bar.querySelectorAll('select, input:not([type=checkbox]):not([type=hidden]), button, .button, code')]
      .filter(drawn);
    for (const [i, a] of controls.entries())
      for (const b of controls.slice(i + 1)) {
        const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
        if (p.top < q.bottom - 1 && q.top < p.bottom - 1 && Math.abs(p.height - q.height) > 1)
          found.push('a line of actions of different heights (' + Math.round(p.height) + ' and ' +
                     Math.round(q.height) + ' px): ' + name(a) + ' and ' + name(b));
      }
  }
  // A tick is drawn in the site's colour: the browser's own blue is not ours.
  for (const tick of document.querySelectorAll('input[type=checkbox], input[type=radio]'))
    if (drawn(tick) && getComputedStyle(tick).accentColor === 'auto')
      found.push('a tick in the browser\\'s blue: ' + name(tick.closest('label') || tick));
  // A composer's controls are one row of one height: 图片 as tall as the text box and 发送.
  for (const row of document.querySelectorAll('.composer')) {
    const heights = new Set([...row.children].filter(drawn).map((el) => Math.round(el.getBoundingClientRect().height)));
    if (drawn(row) && heights.size > 1) found.push('a composer of controls of different heights (' +
                                                    [...heights].join(', ') + ' px)');
  }
  // A ticked item's box starts where its text does: the message under it once began left of its tick.
  for (const tick of document.querySelectorAll('label.pick > input[type=checkbox]')) {
    const card = tick.closest('.card');
    if (!drawn(tick) || !card) continue;
    const style = getComputedStyle(card);
    const edge = card.getBoundingClientRect().left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
    if (Math.abs(tick.getBoundingClientRect().left - edge) > 1)
      found.push('a tick off its card\\'s text edge (' + Math.round(tick.getBoundingClientRect().left - edge) + ' px): ' +
                 name(card));
  }
  // On a laptop a drop-down in a bar of actions is as wide as its choices, not stretched across the bar.
  if (window.innerWidth > 760)
    for (const select of document.querySelectorAll('.tick-bar select, .actions select')) {
      if (!drawn(select)) continue;
      const style = getComputedStyle(select);
      measure.font = style.fontSize + ' ' + style.fontFamily;
      const widest = Math.max(...[...select.options].map((o) => measure.measureText(o.text).width));
      if (select.getBoundingClientRect().width > widest + 80)
        found.push('a drop-down stretched beyond its choices (' + Math.round(select.getBoundingClientRect().width) +
                   ' px): ' + name(select));
    }
  // An overdue card's red edge is drawn inside it: its words keep their distance from it, as in the other cards.
  for (const item of document.querySelectorAll('li.overdue, tr.overdue')) {
    if (!drawn(item) || getComputedStyle(item).display !== 'block' && item.tagName === 'TR') continue;
    const range = document.createRange();
    range.selectNodeContents(item);
    const text = [...range.getClientRects()].filter((r) => r.width > 0);
    const inset = /inset/.test(getComputedStyle(item).boxShadow) ? 4 : 0;
    if (text.length && Math.min(...text.map((r) => r.left)) - item.getBoundingClientRect().left - inset < 8)
      found.push('words touching the edge of an overdue card: ' + name(item));
  }
  // The cards' headings of a page are one size: a list's heading among other sections' is not larger than theirs.
  for (const main of document.querySelectorAll('main:not(.card)')) {
    const heads = [...main.querySelectorAll(':scope > :is(h1, h2).card, :scope > .card > :is(h1, h2):first-child')]
      .filter(drawn);
    const sizes = new Set(heads.map((h) => getComputedStyle(h).fontSize));
    if (sizes.size > 1) found.push('card headings of different sizes (' + [...sizes].join(', ') + ')');
  }
  // A laptop's filter line: its boxes as tall as its button, each name beside its box, 从 beside 到, and a link
  // (清除) on the line of the button's words.
  if (window.innerWidth > 760)
    for (const form of document.querySelectorAll('form.filters')) {
      if (!drawn(form)) continue;
      const controls = [...form.querySelectorAll('select, input:not([type=checkbox]):not([type=hidden]), button')]
        .filter(drawn);
      const heights = new Set(controls.map((c) => Math.round(c.getBoundingClientRect().height)));
      if (heights.size > 1) found.push('filter boxes of different heights (' + [...heights].join(', ') + ' px)');
      for (const label of form.querySelectorAll('label')) {
        const field = label.querySelector('select, input:not([type=checkbox])');
        const words = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!field || !words || !drawn(field)) continue;
        const range = document.createRange();
        range.selectNodeContents(words);
        const line = [...range.getClientRects()].find((r) => r.width > 0);
        if (line && line.bottom <= field.getBoundingClientRect().top + 1)
          found.push('a filter named above its box on a laptop: ' + name(label));
      }
      const from = form.querySelector('[name=date_from]'), to = form.querySelector('[name=date_to]');
      if (from && to && Math.abs(from.getBoundingClientRect().top - to.getBoundingClientRect().top) > 1)
        found.push('从 and 到 on different lines: ' + name(form));
      const button = form.querySelector('button'), middle = (el) => (el.getBoundingClientRect().top +
                                                                      el.getBoundingClientRect().bottom) / 2;
      for (const link of form.querySelectorAll(':scope > a, :scope > .go > a'))
        if (button && Math.abs(middle(link) - middle(button)) > 2)
          found.push('a link off the line of its button: ' + name(link));
    }
  // Tables of one kind (the same headings: the API's, the statistics' breakdowns) line up: each column as wide in
  // every one of them.
  const kinds = new Map();
  for (const table of document.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead th')];
    if (!heads.length || !heads.every(drawn)) continue;
    const key = heads.map((th) => th.innerText.trim()).join('|');
    const widths = heads.map((th) => Math.round(th.getBoundingClientRect().width));
    if (!kinds.has(key)) kinds.set(key, widths);
    else if (widths.some((w, i) => Math.abs(w - kinds.get(key)[i]) > 1))
      found.push('columns of one kind of table changing width (' + key + ': ' + kinds.get(key).join('/') + ' then ' +
                 widths.join('/') + ' px)');
  }
  // A key or link shown once wraps only when a line cannot hold it (read aloud or typed, a break is a trap).
  for (const code of document.querySelectorAll('.secret code')) {
    if (!drawn(code) || lines(code).length < 2) continue;
    const before = code.style.whiteSpace;
    code.style.whiteSpace = 'nowrap';
    const whole = code.getBoundingClientRect().width;
    code.style.whiteSpace = before;
    if (whole <= code.parentElement.clientWidth)
      found.push('a key wrapped though it fits a line: ' + name(code));
  }
  // Figures and charts fill their card's width: a laptop once showed them stopping at half of it, blank beside.
  const contentRight = (el) => {
    const style = getComputedStyle(el);
    return el.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  };
  for (const grid of document.querySelectorAll('ul.figures'))
    if (drawn(grid) && Math.max(...[...grid.children].map((li) => li.getBoundingClientRect().right)) <
        contentRight(grid) - 2)
      found.push('figures stopping short of their card: ' + name(grid));
  const chartRows = new Map();  // the charts side by side on a line: the last of them reaches the card's edge
  for (const chart of document.querySelectorAll('svg.chart'))
    if (drawn(chart)) {
      const box = chart.getBoundingClientRect(), top = Math.round(box.top);
      chartRows.set(top, [Math.max(box.right, (chartRows.get(top) || [0])[0]), chart]);
    }
  for (const [right, chart] of chartRows.values())
    if (right < contentRight(chart.closest('.card')) - 2)
      found.push('a chart stopping short of its card (' + Math.round(right) + ' px): ' + chart.getAttribute('aria-label'));
  // Every field of a form of fields has its name written above it, not only a placeholder.
  for (const field of document.querySelectorAll('form.fields input:not([type=hidden])'))
    if (!field.closest('label') || !field.closest('label').innerText.trim().replace(field.value, ''))
      found.push('a field without a visible name: ' + name(field));
  // On a laptop a fold is open and its summary not drawn: the menu once showed an empty 菜单 bar above its items.
  if (window.innerWidth > 760)
    for (const summary of document.querySelectorAll('details.fold > summary'))
      if (drawn(summary)) found.push('a summary of a fold drawn on a laptop: ' + name(summary));
  // On a phone a list's first item is on the first screen: the suggestions' filters and assigning form once pushed
  // it 1,000 px down, the message queue's reminders and hot problems 878 px. And every target in the menu bar is a
  // finger's size (its links were 22 px high).
  if (window.innerWidth <= 760) {
    const first = [...document.querySelectorAll('table.queue > tbody > tr')].find(drawn);
    if (first && first.getBoundingClientRect().top + window.scrollY > window.innerHeight)
      found.push('a list starting below the first screen (' + Math.round(first.getBoundingClientRect().top +
                 window.scrollY) + ' px): ' + name(first));
    for (const el of document.querySelectorAll('header.bar a, header.bar button, header.bar summary'))
      if (drawn(el) && el.getBoundingClientRect().height < 44)
        found.push('a target in the menu bar smaller than a finger (' + Math.round(el.getBoundingClientRect().height) +
                   ' px): ' + name(el));
  }
  // A page says what it is where one sees it: the queue's heading was for screen readers alone.
  const heading = document.querySelector('h1');
  if (heading && !drawn(heading)) found.push('a page\\'s heading hidden from sight: ' + name(heading));
  // On a phone the part beside a page's main card (a suggestion's 办理状态, 沟通 and 答复 forms) comes after all of
  // it, screens down: a link on the first screen leads to it.
  if (window.innerWidth <= 760)
    for (const aside of document.querySelectorAll('.columns > aside')) {
      if (!drawn(aside) || aside.getBoundingClientRect().top + window.scrollY <= window.innerHeight) continue;
      const leads = [...document.querySelectorAll('a[href^="#"]')].filter((a) => drawn(a) &&
        a.getBoundingClientRect().bottom + window.scrollY <= window.innerHeight &&
        aside.contains(document.getElementById(decodeURIComponent(a.hash.slice(1)))));
      if (!leads.length)
        found.push('no link on the first screen to what lies ' + Math.round(aside.getBoundingClientRect().top +
                   window.scrollY) + ' px down: ' + name(aside.querySelector('h2') || aside));
    }
  // A phone's jump links follow the back link (← 全部建议) as the next line, with no band between them but the
  // targets' own height, and each says the heading it leads to (办理状态 once led to a section headed 已答复).
  const inkBox = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
    return boxes.length ? {top: Math.min(...boxes.map((r) => r.top)), bottom: Math.max(...boxes.map((r) => r.bottom))}
                        : null;
  };
  for (const jumps of document.querySelectorAll('.jumps')) {
    const above = jumps.previousElementSibling, link = jumps.querySelector('a');
    if (!drawn(jumps) || !above || !drawn(above) || !link) continue;
    const gap = inkBox(link).top - inkBox(above).bottom;
    const own = (44 - parseFloat(getComputedStyle(link).lineHeight)) / 2;
    if (gap > own + 3) found.push('a band (' + Math.round(gap) + ' px) between the jump links and the line above: ' +
                                  name(above));
    for (const a of jumps.querySelectorAll('a')) {
      const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      // the heading's own words, or its lead before a colon (答复核查 → 答复核查：各单位答复“充分”的比例)
      const heading = target && target.innerText.trim(), said = a.innerText.trim();
      if (target && /^H[1-6]$/.test(target.tagName) && heading !== said && !heading.startsWith(said + '：'))
        found.push('a jump link saying other words than its heading: ' + a.innerText.trim() + ' → ' +
                   target.innerText.trim());
    }
  }
  // A button that takes something away (停用, 吊销, 退回) is not drawn like the page's main action (保存 beside it): the
  // stations' 停用 once looked like 保存.
  const primary = getComputedStyle(document.querySelector('button:not(.link):not(.secondary)') ||
                                   document.body).backgroundColor;
  for (const button of document.querySelectorAll('button'))
    if (drawn(button) && /^(停用|吊销|退回|删除|撤销)/.test(button.innerText.trim()) &&
        getComputedStyle(button).backgroundColor === primary)
      found.push('a button that takes away drawn like the main action: ' + name(button));
  // ... and it acts only once something is set first (a tick 确认停用…, a reason): a mis-tap on 停用 beside a
  // colleague's account, on an API key's 吊销 or on 停用进度链接 took effect at once.
  for (const button of document.querySelectorAll('button'))
    if (drawn(button) && /^(停用|吊销|退回|删除|撤销)/.test(button.innerText.trim()) && button.form &&
        !button.form.querySelector('input[type=checkbox][required], textarea[required]'))
      found.push('a button that takes away on one tap, nothing to tick first: ' + name(button));
  // Cards one above the other start their words at one edge (a message's card began 4 px left of the others).
  const cards = [...document.querySelectorAll('.card')].filter((c) => drawn(c) && !c.parentElement.closest('.card'));
  const textEdge = (el) => {
    const style = getComputedStyle(el);
    return el.getBoundingClientRect().left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
  };
  for (const [i, a] of cards.entries())
    for (const b of cards.slice(i + 1))
      if (Math.abs(a.getBoundingClientRect().left - b.getBoundingClientRect().left) <= 1 &&
          Math.abs(textEdge(a) - textEdge(b)) > 1) {
        found.push('cards starting their words at different edges (' + Math.round(textEdge(a)) + ' and ' +
                   Math.round(textEdge(b)) + ' px): ' + name(a) + ' and ' + name(b));
        break;
      }
  // A card's first line is drawn at its padding, not centred low in a taller box (a message's tick line, a 44 px
  // target, left a band above it on a laptop): the first ink, less the half-leading of a line of text.
  const ink = (el) => {
    let top = Infinity;
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walk.currentNode; node; node = walk.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!node.textContent.trim() || !drawn(node.parentElement)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = [...range.getClientRects()].find((q) => q.width > 0);
        const leading = r ? Math.max(0, (parseFloat(getComputedStyle(node.parentElement).lineHeight) - r.height) / 2) : 0;
        if (r) top = Math.min(top, r.top - (leading || 0));
      } else if (node.matches('input:not([type=hidden]), select, textarea, button, img, svg') && drawn(node))
        top = Math.min(top, node.getBoundingClientRect().top);
    }
    return top;
  };
  for (const card of document.querySelectorAll('.card')) {
    const first = [...card.children].find(drawn);
    if (!drawn(card) || !first || getComputedStyle(card).display !== 'block') continue;
    const style = getComputedStyle(card);
    const gap = ink(first) - card.getBoundingClientRect().top - parseFloat(style.paddingTop) -
                parseFloat(style.borderTopWidth);
    if (gap > 3) found.push('an empty band (' + Math.round(gap) + ' px) above a card\\'s first words: ' + name(first));
  }
  // ... and a message's tick line is still a finger's target, 44 px high, drawn tight as it is (checked where it is on
  // the screen: above the bar of buttons that rises to the screen's bottom once a message is ticked).
  const bar = document.querySelector('.tick-bar');
  const screenEnd = Math.min(window.innerHeight, bar ? bar.getBoundingClientRect().top : Infinity);
  for (const label of document.querySelectorAll('label.pick')) {
    const box = label.getBoundingClientRect(), middle = (box.top + box.bottom) / 2;
    // (a pixel to spare at each end: elementFromPoint rounds a point 0.1 px above the bar onto the bar)
    if (!drawn(label) || middle - 22 < 0 || middle + 22 > screenEnd) continue;
    for (const y of [middle - 21, middle + 21]) {
      const hit = document.elementFromPoint(box.left + box.width / 2, y);
      if (!hit || !label.contains(hit))
        found.push('a tick\\'s line smaller than a finger\\'s target: ' + name(label));
    }
  }
  // Two tables of different kinds one under the other never share a column's edge: the API's answers under its
  // parameters once read as one table whose headings changed (说明 under 类型).
  const tables = [...document.querySelectorAll('table')].filter((t) => drawn(t) && t.tHead && t.tHead.rows.length);
  const edges = (t) => [...t.tHead.rows[0].cells].slice(1).map((th) => th.getBoundingClientRect().left);
  const kindOf = (t) => [...t.tHead.rows[0].cells].map((th) => th.innerText.trim()).join('|');
  for (const [i, a] of tables.entries()) {
    const b = tables[i + 1];
    if (!b || kindOf(a) === kindOf(b) || getComputedStyle(a.tHead).position === 'absolute') continue;
    const shared = edges(a).find((x) => edges(b).some((y) => Math.abs(x - y) <= 2));
    if (shared !== undefined && a.closest('section') === b.closest('section'))
      found.push('two kinds of table sharing a column edge (' + Math.round(shared) + ' px): ' + kindOf(a) + ' and ' +
                 kindOf(b));
  }
  // On a laptop a form's box for words is a readable width, not stretched across the screen (录入纸质建议), nor is a
  // box in a line of several fields (编辑承办单位's 提醒邮箱 once took the line beside its tick, 971 px).
  if (window.innerWidth > 760)
    for (const field of document.querySelectorAll('.console main :is(textarea, input:is([type=text], [type=password], :not([type])))')) {
      if (!drawn(field) || field.closest('.filters, .actions, td')) continue;
      const wide = field.getBoundingClientRect().width;
      const most = 48 * parseFloat(getComputedStyle(document.documentElement).fontSize);
      if (wide > most)
        found.push('a field wider than a readable line (' + Math.round(wide) + ' px): ' + name(field));
    }
  return found;
}"""


# Words kept whole, and blanks that are no part of a layout (the second review's faults).
WHOLE = """(terms) => {
  // (and words folded away in a closed <details>, which are not drawn)
  const found = [], skip = 'script, style, title, code, textarea, td.url, .secret, .text, .message-text, .final-text, ' +
                           'details:not([open]) > :not(summary)';
  const rects = (node, at, length) => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + length);
    return [...range.getClientRects()].filter((r) => r.width > 0);
  };
  const rows = (boxes) => new Set(boxes.map((r) => Math.round(r.bottom))).size;
  // One of our words (二 / 维码, 接 / 口密钥, 逐步解 / 决) or a name joined by hyphens (X- / Api-Key) broken over
  // two lines reads as other words. Code, a link written out and what people wrote break where they must.
  const words = new RegExp(terms.join('|') + '|(?<![A-Za-z0-9_-])[A-Za-z]+(?:-[A-Za-z]+)+(?![A-Za-z0-9_-])', 'g');
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    if (!node.parentElement || node.parentElement.closest(skip)) continue;
    for (const match of node.textContent.matchAll(words))
      if (rows(rects(node, match.index, match[0].length)) > 1) found.push('a word broken over two lines: ' + match[0]);
  }
  const lastLine = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
    const bottom = Math.max(...boxes.map((r) => r.bottom));
    return [rows(boxes), boxes.filter((r) => r.bottom > bottom - 2)];
  };
  // A title's last line is never its bracket alone (（2026年）, （码上说 API，第 1 版）): the bracket says more about
  // the words before it, which it leaves short of the line's end.
  for (const el of document.querySelectorAll('h1, h2, h3')) {
    if (!el.getBoundingClientRect().width) continue;
    const [count, last] = lastLine(el);
    if (count < 2) continue;
    const text = el.innerText.trim(), left = Math.min(...last.map((r) => r.left));
    if (!text.endsWith('）')) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let bracket = null;  // the last opening bracket's box
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const i = node.textContent.lastIndexOf('（');
      if (i >= 0) bracket = rects(node, i, 1)[0] || bracket;
    }
    if (bracket && Math.abs(bracket.left - left) < 2) found.push('a title\\'s bracket alone on its last line: ' + text);
  }
  // A button's few words on one line (停 / 用 reads as two buttons).
  for (const button of document.querySelectorAll('button, a.button')) {
    const text = button.innerText.trim();
    if (!button.getBoundingClientRect().width || !text || text.length > 8) continue;
    if (lastLine(button)[0] > 1) found.push('a button\\'s words wrapped: ' + text);
  }
  // A laptop's table leaves no wide blank inside its rows: a column whose every line ends a third of the table
  // before the next column's words start is a gap, not a column (the API's status tables once did).
  if (window.innerWidth > 760)
    for (const table of document.querySelectorAll('table')) {
      const box = table.getBoundingClientRect();
      if (!box.width || getComputedStyle(table).display !== 'table') continue;
      const ends = (cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
        return boxes.length ? [Math.min(...boxes.map((r) => r.left)), Math.max(...boxes.map((r) => r.right))] : null;
      };
      const gaps = new Map();
      for (const row of table.rows)
        for (let i = 0; i + 1 < row.cells.length; i++) {
          const here = ends(row.cells[i]), next = ends(row.cells[i + 1]);
          if (!here || !next) continue;
          gaps.set(i, Math.min(gaps.has(i) ? gaps.get(i) : Infinity, next[0] - here[1]));
        }
      for (const [i, gap] of gaps)
        if (gap > box.width / 3)
          found.push('a wide blank inside a table\\'s rows (' + Math.round(gap) + ' px after column ' + (i + 1) +
                     '): ' + (table.rows[0].cells[i].innerText || '').trim());
    }
  // A word kept whole that wraps to a line of its own leaves the line before it short, not a third empty: the line
  // then reads as the paragraph's end (问题 / 已解决或正在解决（A类）at 320 px once did).
  // A table's cells wrap as their column's width says, not the page's: they are left out.
  for (const kept of document.querySelectorAll('span.nowrap')) {
    if (kept.closest('td, th')) continue;
    const block = kept.parentElement && kept.parentElement.closest('p, li, dd, div');
    const first = kept.getClientRects()[0], before = kept.previousSibling;
    if (!block || !first || !before || before.nodeType !== Node.TEXT_NODE || !before.textContent.trim()) continue;
    const tail = rects(before, before.textContent.length - 1, 1)[0];
    if (!tail || Math.round(tail.bottom) === Math.round(first.bottom)) continue;
    const inner = block.getBoundingClientRect().right - parseFloat(getComputedStyle(block).paddingRight);
    const em = parseFloat(getComputedStyle(block).fontSize);
    if (inner - tail.right > 6 * em)
      found.push('a line left short before a word kept whole: ' + before.textContent.trim().slice(-6) + ' / ' +
                 kept.textContent);
  }
  return found;
}"""

def _fonts_of_heading(page) -> list[str]:
    """The fonts Chromium really drew the page's first heading (or bubble, or name bar) with, per DevTools."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1, .bubble.bot, .who"})["nodeId"]
    fonts = [font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    cdp.detach()
    return fonts


def _problems(page, axe: Axe) -> list[str]:
    results = axe.run(page).response
    assert results["testEngine"]["name"] == "axe-core" and results["testRunner"]
    found = [f"{v['id']} ({v['impact']}): " + "; ".join(str(n["target"][0]) for n in v["nodes"][:3])
             for v in results["violations"] if v["impact"] in SERIOUS]
    width = page.viewport_size["width"]
    # No pixel's tolerance: a line 0.95 px too wide (the chat's station phone and hours at 320) made the page 321 px.
    if page.evaluate(f"document.documentElement.scrollWidth > {width}"):
        widest = page.evaluate(f"""() => [...document.body.querySelectorAll('*')]
            .filter(el => el.getBoundingClientRect().right > {width})
            .map(el => el.tagName.toLowerCase() + '.' + (typeof el.className === 'string' ? el.className : ''))
            .slice(-3)""")
        found.append(f"wider than the screen: {page.evaluate('document.documentElement.scrollWidth')} px ({widest})")
    if "mashang " in page.inner_text("body") and "/api/" not in page.url:
        found.append("a shell command on a page for people: " + page.inner_text("body").split("mashang ")[1][:30])
    fonts = _fonts_of_heading(page)
    if not any("CJK" in family for family in fonts):
        found.append(f"the heading is not drawn with a Chinese font: {fonts}")
    # One line per kind of fault and page is enough to find it.
    seen: set[str] = set()
    for fault in page.evaluate(LAYOUT, width) + page.evaluate(WHOLE, list(WHOLE_TERMS)):
        kind = fault.split(":")[0].split("(")[0]
        if kind not in seen:
            seen.add(kind)
            found.append(fault)
    return found


# A path, or steps in the page that end on the page to look at; they may return steps to take once it has been looked
# at (a click that changes it: a copy button says 已复制).
Visit = str | Callable


# Which test shot each page name in this run: two tests shooting one name with their own data left a folder whose
# queue and radar told of different letters (the radar test's shots replaced the page tour's).
_SHOT_BY: dict[str, str] = {}


def _tour(browser, base: str, pages: list[tuple[str, Visit]], sign_in, kind: str) -> list[str]:  # noqa: F811
    axe, problems = Axe(), []
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].split("[")[0]  # one test on any backend
    for name, _ in pages:
        if _SHOT_BY.setdefault(f"{kind}-{name}", test) != test:
            problems.append(f"{kind}-{name}: shot already by {_SHOT_BY[f'{kind}-{name}']}, give this tour its own kind")
    for width, height in SIZES:
        phone = width < 800
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, locale="zh-CN",
                                      has_touch=phone, device_scale_factor=2 if phone else 1)
        page = context.new_page()
        sign_in(page)
        for name, visit in pages:
            after = None
            if callable(visit):
                after = visit(page)
            else:
                page.goto(base + visit)
            screenshot(page, folder / f"{kind}-{name}-{width}x{height}.png")
            page.screenshot(path=str(folder / f"{kind}-{name}-{width}x{height}-full.png"), full_page=True)
            problems += [f"{kind}-{name} at {width}×{height}: {p}" for p in _problems(page, axe)]
            if after:
                after()
        context.close()
    return problems


def _copies_whole(page, base: str, shown: str) -> None:
    """A secret shown once: every character on screen (none cut off or hidden in a field's scroll) and a button
    that copies it and says 已复制."""
    whole = page.evaluate("""(id) => { const el = document.getElementById(id), box = el.getBoundingClientRect();
        return el.scrollWidth <= el.clientWidth + 1 && box.left >= 0 && box.right <= window.innerWidth; }""", shown)
    assert whole, f"#{shown} is cut off at {page.viewport_size['width']} px"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    button = page.locator(f"button[data-copy-from={shown}]")
    button.click()
    expect(button).to_have_text("已复制", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == page.inner_text(f"#{shown}").strip()


def _units(runtime) -> tuple[int, int]:
    """The housing bureau, with its account zhujian, and the transport bureau."""
    with runtime.sessions() as session, session.begin():
        lead = HandlingUnit(name="区住房和城乡建设局", short_name="住建局", email="zhujian@units.example")
        co = HandlingUnit(name="区交通运输局")
        session.add_all([lead, co])
        session.flush()
        session.add(StaffUser(username="zhujian", password_hash=hash_password("pw-zhujian"), role=StaffRole.UNIT,
                              unit_id=lead.id))
        return lead.id, co.id


def _earlier(session, suggestion_id: int, days: int) -> None:
    """Moves a suggestion's whole story `days` back: each of its dates, its history's and audit's, and the deadline
    they name. Moving one date alone told two stories (a deadline passed beside 交办 of today naming 2027-03-05; a reply
    waiting over 7 days for its rating, accepted today)."""
    back = timedelta(days=days)
    suggestion = session.get(Suggestion, suggestion_id)
    suggestion.created_at -= back
    if suggestion.deadline:
        suggestion.deadline -= back
    dated = ((Assignment, "assigned_at"), (SuggestionEvent, "at"), (UnitContact, "on"), (UnitContact, "created_at"),
             (CoOpinion, "at"), (Reply, "submitted_at"), (Reply, "decided_at"))
    for model, column in dated:
        for row in session.scalars(select(model).where(model.suggestion_id == suggestion_id)):
            if getattr(row, column) is not None:
                setattr(row, column, getattr(row, column) - back)

    def named(data: dict) -> dict:  # the deadline and the meeting's day a step names
        return {**data, **{key: (date.fromisoformat(data[key]) - back).isoformat()
                           for key in ("deadline", "on") if data.get(key)}}

    for event in session.scalars(select(SuggestionEvent).where(SuggestionEvent.suggestion_id == suggestion_id)):
        event.data = named(event.data)
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.target == f"suggestion:{suggestion_id}")):
        entry.at, entry.after = entry.at - back, named(entry.after)


def _overdue_suggestion(runtime, deputy_id: int, unit_id: int) -> None:
    """Registered and assigned one handling period and 3 days ago: 3 days past its deadline (the first registered,
    2026-001)."""
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        late = handling.register_by_hand(session, title="关于整治青石中学门口交通拥堵的建议", lead_deputy_id=deputy_id,
                                         actor="staff:admin", rules=rules)
        handling.assign(session, [late.id], lead_unit_id=unit_id, actor="staff:admin", rules=rules)
        _earlier(session, late.id, rules.handling_days + 3)


def _answered_suggestion(runtime, deputy_id: int, cosigner_id: int, lead: int, co: int) -> int:
    """A suggestion on paper, assigned, met about, answered with a .pdf and accepted 9 days ago, waiting since for the
    deputy's rating: every part of its pages shows."""
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        found = handling.register_by_hand(session, title="关于修复幸福小区路灯的建议", lead_deputy_id=deputy_id,
                                          cosigner_ids=[cosigner_id], kind="session", topic="城乡建设",
                                          situation="幸福小区门口路灯坏了一个月。", problems="夜间出行不安全",
                                          proposals="尽快修复路灯", actor="staff:admin", rules=rules)
        handling.assign(session, [found.id], lead_unit_id=lead, co_unit_ids=[co], key_supervision=True,
                        supervisor="张主任", actor="staff:admin", rules=rules)
        handling.send_opinion(session, found.id, unit_id=co, text="配合做好交通疏导。", actor=f"unit:{co}")
        handling.log_contact(session, found.id, unit_id=lead, stage="before", way="face",
                             on=handling.today(rules), who="副局长 李明", note="现场查看。", actor=f"unit:{lead}",
                             rules=rules)
        handling.submit_reply(session, found.id, unit_id=lead, text="已修复。", category="A",
                              attachment=("答复函.pdf", b"%PDF-1.4\n%%EOF\n"), actor=f"unit:{lead}", rules=rules)
        handling.accept_reply(session, found.id, actor="staff:admin",
                              summary="住建局已更换幸福小区门口的路灯，晚上已经亮了。")
        _earlier(session, found.id, 9)
        return found.id


def _submitted(session, deputy_id: int, message_id: int) -> int:
    """The deputy's draft holding this letter, approved: submitted to the office, waiting for its 登记."""
    draft = session.scalar(select(Draft).join(DraftMessage).where(DraftMessage.message_id == message_id))
    review.approve(session, review.DraftRequest(deputy_id, draft.id, draft.version))
    return draft.id


def _answered_from_draft(runtime, deputy_id: int, message_id: int, unit_id: int) -> None:
    """The citizen's letter as the product carries it to an answer: in the deputy's draft, approved, registered,
    assigned, answered and accepted, so their progress page shows every step and the answer (the tour once tied a
    letter still in a 待审阅 draft to the paper suggestion, and the page said 已答复)."""
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        found = handling.register_from_draft(session, _submitted(session, deputy_id, message_id), actor="staff:admin",
                                             rules=rules)
        handling.assign(session, [found.id], lead_unit_id=unit_id, actor="staff:admin", rules=rules)
        # B: the citizen's page says by when the work is promised (承诺 … 前完成), the longest answer it shows.
        handling.submit_reply(session, found.id, unit_id=unit_id, text="已疏通菜市场门口的下水道，改造管网列入明年计划。",
                              category="B", promised_date=handling.today(rules) + timedelta(days=83),
                              actor=f"unit:{unit_id}", rules=rules)
        handling.accept_reply(session, found.id, actor="staff:admin", summary="住建局已疏通菜市场门口的下水道。")


def _reminded(runtime) -> None:
    """The overdue suggestion and the reply waiting for its rating, reminded; the housing bureau's reminder e-mail
    that failed (its page shows it)."""
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        milestones.run(session, now=utcnow(), rules=rules, targets=milestones.Targets())
        late = session.scalar(select(Suggestion).where(Suggestion.title.contains("青石中学")))
        unit_id = session.scalar(select(HandlingUnit.id).where(HandlingUnit.short_name == "住建局"))
        outbox.enqueue(session, channel="email", recipient="zhujian@units.example", body="已超期",
                       subject=f"建议办理提醒：第 {late.number} 号建议已超过办理期限 3 天", now=utcnow(),
                       dedupe_key=milestones.unit_email_key(f"{late.id}:{late.deadline}:overdue", unit_id))
        session.execute(update(Delivery).values(state="failed", attempts=outbox.MAX_ATTEMPTS,
                                                       last_error="邮件无法送达：(550, 'mailbox unavailable')"))


def _one_story(runtime) -> None:
    """The seeded pages tell one story, as the product would have written it: each suggestion's deadline is the one its
    交办 named, each accepted reply was accepted when its history says, and a letter joins a suggestion only through
    its deputy's submitted draft (a letter in a 待审阅 draft was once 已答复 on its progress page)."""
    with runtime.sessions() as session:
        for suggestion in session.scalars(select(Suggestion)):
            events = session.scalars(select(SuggestionEvent).where(SuggestionEvent.suggestion_id == suggestion.id)
                                     .order_by(SuggestionEvent.id)).all()
            named = [event.data["deadline"] for event in events if "deadline" in event.data]
            assert not named or named[-1] == suggestion.deadline.isoformat(), (suggestion.number, named)
            accepted = [event.at for event in events if event.kind == "accept"]
            for reply in session.scalars(select(Reply).where(Reply.suggestion_id == suggestion.id,
                                                             Reply.state == "accepted")):
                assert any(abs(at - reply.decided_at) < timedelta(minutes=1) for at in accepted), suggestion.number
        for link in session.scalars(select(SuggestionMessage)):
            drafts = session.scalars(select(Draft).join(DraftMessage).where(DraftMessage.message_id == link.message_id))
            assert all(stages.submitted(draft.status) for draft in drafts), link.message_id


@pytest.mark.browser
def test_every_page_passes_axe_and_fits_every_screen(app, live_server, browser, run_jobs, runtime, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    wang, li, zhang = deputies(app)
    # The stories told as having happened weeks ago are written first, as they would have been: the audit log lists
    # its entries in the order they were written.
    unit_id, co_id = _units(runtime)
    _overdue_suggestion(runtime, wang["id"], unit_id)
    suggestion_id = _answered_suggestion(runtime, wang["id"], li["id"], unit_id, co_id)
    chat = app.test_client()
    receipt = report(chat, slug_of(wang), "幸福小区门口的路灯坏了一个月了，晚上很黑", phone="13912345678")["receipt"]
    for text in ["幸福小区东门路灯不亮，晚上老人出门不方便，建议尽快修好", "青石中学门口放学时堵车严重"]:
        report(app.test_client(), slug_of(wang), text)
    # A letter whose suggestion is answered: its progress page shows every step.
    answered = report(app.test_client(), slug_of(wang), "青石街道菜市场门口的下水道堵了好几天，污水漫到路上，希望尽快疏通")
    progress_path = next(reply for reply in answered["replies"] if "/p/" in reply).split("http://mashang.test")[1]
    progress_path = progress_path.split("（", 1)[0]
    # The same problem reaches 李建国 of the same station, whose draft invites 王秀兰 in one tap.
    report(app.test_client(), slug_of(li), "幸福小区门口的路灯坏了一个多月，晚上老人出门很不方便，希望尽快修好路灯")
    # 李建国's draft of another problem, submitted and waiting for the office's 登记 (/staff/drafts/<id>).
    waiting = report(app.test_client(), slug_of(li), "青石街道文化广场的健身器材坏了好几件，老人锻炼容易受伤，希望尽快维修更换")
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "admin", StaffRole.ADMIN, None)
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    # Accounts carry their person's name, as a district's do: the pages show 刘洋 where they showed admin.
    with runtime.sessions() as session, session.begin():
        for login, name in (("admin", "刘洋"), ("qingshi", "陈静")):
            session.execute(update(StaffUser).where(StaffUser.username == login).values(display_name=name))
    created = app.test_cli_runner().invoke(args=["accounts", "create", "--role", "office", "--name", "clerk",
                                                 "--display-name", "赵敏", "--link"])
    assert created.exit_code == 0, (created.output, created.exception)
    welcome = created.output.strip().splitlines()[-1].removeprefix("http://mashang.test")
    office = sign_in_staff(app, "admin")
    issued = office.post(f"/staff/deputies/{wang['id']}/sign-in-link",
                         data={"csrf_token": csrf_token(office, f"/staff/deputies/{wang['id']}")})
    deputy_link = issued.get_data(as_text=True).split('id="link" aria-label="一次性登录链接">http://mashang.test')[1].split('<')[0]
    with runtime.sessions() as session, session.begin():
        draft_id = session.scalar(select(Draft.id).where(Draft.deputy_id == wang["id"], Draft.title.contains("路灯")))
        message_id = session.scalar(select(Message.id).where(Message.receipt == receipt))
        answered_id = session.scalar(select(Message.id).where(Message.receipt == answered["receipt"]))
        waiting_id = _submitted(session, li["id"], session.scalar(select(Message.id).where(
            Message.receipt == waiting["receipt"])))
        links.revoke(session, session.get(Deputy, zhang["id"]))
        # the page a stopped code leads to names where the station is and how to call it
        session.get(Deputy, zhang["id"]).station.address = "柳河镇政府东侧便民服务中心二楼"
        session.get(Deputy, zhang["id"]).station.phone = "0731-84000000"
        # the chat's header names the station's phone and hours, the longest line a citizen's phone must wrap
        wang_station = session.get(Deputy, wang["id"]).station
        wang_station.phone, wang_station.opening_hours = "0731-84000000", "工作日 9:00–17:00"
        group = session.scalar(select(Draft).where(Draft.title.contains("青石中学")))
        group.status, group_id = DraftStatus.COLLECTING, group.id  # too few citizens yet: still collecting
        theirs = session.scalar(select(Draft).where(Draft.deputy_id == li["id"]))
        desk.invite_colleagues(session, review.DraftRequest(li["id"], theirs.id, theirs.version))
        invited_id = theirs.id
        assert invitations.waiting(session, wang["id"]), "王秀兰's home page asks her to co-sign"
    _answered_from_draft(runtime, wang["id"], answered_id, unit_id)
    _reminded(runtime)
    _one_story(runtime)

    def citizen(page):
        # A whole conversation, so the page shows the receipt card it keeps for this browser.
        page.goto(f"{live_server}/c/{slug_of(wang)}")
        for text in ["幸福小区门口的路灯坏了一个月了，晚上很黑", "在青石街道幸福小区东门", "不留"]:
            _say(page, text)

    def deputy(page):
        page.goto(f"{live_server}/deputy/login")
        if "login" in page.url:
            page.fill("#phone", "13900000001")
            page.fill("#password", "wang-pass-1")
            page.click("button[type=submit]")
            page.wait_for_url("**/deputy/")

    def messages_ticked(page):
        # A message ticked: the bar of buttons rises to the bottom of the screen, beside the tick.
        page.goto(f"{live_server}/deputy/messages")
        tick = page.locator("#chosen input[name=messages]").first
        tick.check()
        tick.evaluate("el => el.scrollIntoView({block: 'center'})")

    def staff(page, username: str = "admin"):
        sign_in_page(page, live_server, username)

    def unit(page):
        sign_in_page(page, live_server, "zhujian", lands="**/unit/")

    def export(page):
        page.goto(f"{live_server}/staff/")
        page.click("text=导出当前筛选结果")
        page.wait_for_url("**/staff/exports/*")
        run_jobs()
        page.reload()
        page.locator("#download").wait_for()

    def menu(page):
        # A phone's menu is one 菜单 button: opened, its items are finger-sized targets.
        page.goto(f"{live_server}/staff/suggestions")
        if page.viewport_size["width"] <= 760:
            page.click("header.bar summary")
            page.locator("header.bar nav a").first.wait_for()

    def suggestion_new(page):
        # A lead deputy chosen: the name shows whole in its box on a phone.
        page.goto(f"{live_server}/staff/suggestions/new")
        page.select_option("#lead-deputy", str(wang["id"]))

    def accounts(page):
        # An account's 姓名 and its 保存 share one line on every screen: a card line, not a button on a line of its own.
        page.goto(f"{live_server}/staff/accounts")
        form = page.locator('td[data-label="姓名"] form').first
        field, button = form.locator("input[name=display_name]").bounding_box(), form.locator("button").bounding_box()
        assert abs(field["y"] + field["height"] / 2 - button["y"] - button["height"] / 2) < 4, \
            f"保存 is not beside 姓名 at {page.viewport_size['width']} px"

    def sign_in_link(page):
        page.goto(f"{live_server}/staff/deputies/{wang['id']}")
        page.click("text=生成一次性登录链接")
        page.locator("#link").wait_for()
        return lambda: _copies_whole(page, live_server, "link")

    made = iter(range(10))

    def welcome_link(page):
        # An account made with its password left empty: its set-password link shown once, whole, with a copy button.
        page.goto(f"{live_server}/staff/accounts")
        page.fill("input[name=username]", f"newclerk{next(made)}")
        page.select_option("select[name=role]", "office")
        page.click("form.fields button[type=submit]")
        page.locator("#link").wait_for()
        return lambda: _copies_whole(page, live_server, "link")

    problems = _tour(browser, live_server, [
        ("site", "/"), ("chat", f"/c/{slug_of(wang)}"), ("missing", "/c/nosuchcode"), ("revoked", f"/c/{slug_of(zhang)}"),
        ("progress", progress_path), ("progress-missing", "/p/no-such-token"),
    ], citizen, "citizen")
    problems += _tour(browser, live_server, [("login", "/deputy/login"), ("link", deputy_link),
                                             ("link-used", "/deputy/signin/used")],
                      lambda page: None, "deputy")
    problems += _tour(browser, live_server, [
        ("home", "/deputy/"), ("draft", f"/deputy/drafts/{draft_id}"), ("messages", "/deputy/messages"),
        ("messages-ticked", messages_ticked),
        ("missing", "/deputy/drafts/999999"), ("suggestions", "/deputy/suggestions"),
        ("suggestion", f"/deputy/suggestions/{suggestion_id}"),
        ("groups", "/deputy/groups"), ("group", f"/deputy/groups/{group_id}"),
        ("invitation", f"/deputy/invitations/{invited_id}"), ("password", "/deputy/password"),
    ], deputy, "deputy")
    problems += _tour(browser, live_server, [("login", "/staff/login"), ("welcome", welcome),
                                             ("welcome-used", "/staff/welcome/used")], lambda page: None, "staff")
    problems += _tour(browser, live_server, [
        ("queue", "/staff/"), ("message", f"/staff/messages/{message_id}"), ("deputies", "/staff/deputies"),
        ("deputy-edit", f"/staff/deputies/{wang['id']}"), ("sign-in-link", sign_in_link),
        ("stations", "/staff/stations"),
        ("roster", "/staff/roster"), ("accounts", accounts), ("operations", "/staff/operations"),
        ("audit", "/staff/audit"), ("export", export), ("missing", "/staff/messages/999999"),
        ("suggestions", "/staff/suggestions"), ("menu", menu), ("draft", f"/staff/drafts/{waiting_id}"),
        ("suggestion", f"/staff/suggestions/{suggestion_id}"),
        ("suggestion-new", suggestion_new), ("stats", "/staff/stats"), ("report", "/staff/report"),
        ("units", "/staff/units"),
        ("unit-edit", f"/staff/units/{unit_id}"), ("groups", "/staff/groups"), ("group", f"/staff/groups/{group_id}"),
        ("radar", "/staff/radar"), ("welcome-link", welcome_link), ("password", "/staff/password"),
    ], staff, "staff")
    problems += _tour(browser, live_server, [
        ("home", "/unit/"), ("suggestion", f"/unit/suggestions/{suggestion_id}"), ("missing", "/unit/suggestions/999999"),
        ("password", "/unit/password"),
    ], unit, "unit")
    # A station clerk sees fewer filters and menu items: the same pages must still fit a phone.
    problems += _tour(browser, live_server, [
        ("queue", "/staff/"), ("message", f"/staff/messages/{message_id}"), ("deputies", "/staff/deputies"),
        ("operations", "/staff/operations"), ("radar", "/staff/radar"), ("password", "/staff/password"),
    ], lambda page: staff(page, "qingshi"), "station")
    assert not problems, "\n".join(problems)
    # A phone's card title parts the citizen's description from their answer to the follow-up question (a space ran
    # them into one sentence: 晚上很黑 在青石街道…).
    assert "晚上很黑／在青石街" in office.get("/staff/").get_data(as_text=True)
    # The radar's drafts say whose they are: two deputies' drafts of one problem share a title, and read as one line
    # listed twice.
    radar = office.get("/staff/radar").get_data(as_text=True)
    assert "王秀兰的草稿“" in radar and "李建国的草稿“" in radar and "晚上很黑／在青石街" in radar
    # A suggestion made of one is numbered as the deputy's pages number it (the radar alone said a bare number).
    assert re.search(r"已形成<a [^>]+>第 \S+ 号建议</a>（", radar), radar
    # A deputy's 页面不存在 leads home (it once offered no way but the browser's back button).
    deputy_client = app.test_client()
    sign_in_deputy(deputy_client, "13900000001", "wang-pass-1")
    missing = deputy_client.get("/deputy/drafts/999999").get_data(as_text=True)
    assert '<a href="/deputy/" id="home">回到首页</a>' in missing
    # Signed in, a 页面不存在 keeps the menu of the pages around it, to go on from there (it once showed none).
    assert 'aria-label="代表菜单"' in missing
    staff_missing = office.get("/staff/messages/999999").get_data(as_text=True)
    assert 'aria-label="工作台菜单"' in staff_missing
    unit_missing = sign_in_staff(app, "zhujian").get("/unit/suggestions/999999")
    # A unit's pages have no menu of one item (a lone tab): its 页面不存在 leads back to its list itself.
    assert unit_missing.status_code == 404 and '<a href="/unit/" id="home">回到交办给本单位的建议</a>' in \
        unit_missing.get_data(as_text=True)
    assert "<header" in unit_missing.get_data(as_text=True) and \
        "<nav" not in unit_missing.get_data(as_text=True).split("</header>")[0]
    # ... and marks none of its items as the page shown (页面不存在 is no 建议草稿, 留言队列 or list of suggestions).
    assert all("aria-current" not in page for page in (missing, staff_missing, unit_missing.get_data(as_text=True)))


@pytest.mark.browser
def test_the_api_pages_pass_axe_and_fit_every_screen(app, live_server, browser, tmp_path):  # noqa: F811
    """The API's documentation, and the administrators' key page with a live and a revoked key."""
    import_roster(app, write_roster(tmp_path))
    add_staff(app, "admin", StaffRole.ADMIN, None)
    runner = app.test_cli_runner()
    for name in ("省人大代表履职平台", "旧版政务服务 App"):
        created = runner.invoke(args=["apikeys", "create", "--name", name, "--scope", "read,submit"])
        assert created.exit_code == 0, created.output
    listed = runner.invoke(args=["apikeys", "list"]).output
    old_id = next(line.split()[0] for line in listed.splitlines() if "旧版政务服务" in line)
    assert runner.invoke(args=["apikeys", "revoke", old_id]).exit_code == 0

    def staff(page):
        sign_in_page(page, live_server, "admin")

    def api_key_created(page):
        page.goto(f"{live_server}/staff/api-keys")
        page.fill("input[name=name]", "12345政务服务便民热线")
        page.select_option("select[name=station]", index=1)
        page.click("text=新建密钥")
        page.locator("#key").wait_for()
        return lambda: _copies_whole(page, live_server, "key")

    def docs(page):
        # Folded on a phone; a laptop's shot opens every section, so its tables are measured and seen.
        page.goto(f"{live_server}/api/v1/docs")
        if page.viewport_size["width"] > 760:
            page.evaluate("document.querySelectorAll('.api-docs details').forEach((d) => { d.open = true; })")

    # The key page leads the other system's developers to the API's documentation.
    assert 'href="/api/v1/docs"' in sign_in_staff(app, "admin").get("/staff/api-keys").get_data(as_text=True)
    problems = _tour(browser, live_server, [("docs", docs)], lambda page: None, "api")
    problems += _tour(browser, live_server, [("api-key-created", api_key_created), ("api-keys", "/staff/api-keys")],
                      staff, "staff")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_contact_notes_number_is_whole_and_on_one_line_for_staff_on_every_screen(app, live_server, browser, tmp_path):  # noqa: F811
    """A second number beside the citizen's (座机…) on the message page and in the audit log: whole for staff whether
    or not the deputy may see the citizen's number, each number on one line."""
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for consent in ("2", "1"):
        client = app.test_client()
        report(client, slug, "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑")
        send(client, slug, "13812345678，座机0731-84123456，白天打不通晚上打")
        send(client, slug, consent)
    add_staff(app, "office", StaffRole.OFFICE, None)

    def shows(path: str, shown: tuple[str, ...], hidden: str | None = None) -> Visit:
        def visit(page):
            page.goto(live_server + path)
            text = page.inner_text("main")
            assert all(words in text for words in shown) and (hidden is None or hidden not in text), (path, text)
            # Half a number is no number: it once broke at its hyphen (座机0731- / ****3456) on a phone.
            assert page.eval_on_selector_all(".text .nowrap", "els => els.length > 0 && els.every("
                                             "(el) => el.getClientRects().length === 1)"), path
        return visit

    problems = _tour(browser, live_server, [
        ("note-not-shared", shows("/staff/messages/1", ("座机0731-84123456",), "****3456")),
        ("note-shared", shows("/staff/messages/2", ("座机0731-84123456",))),
        ("note-audit", shows("/staff/audit", ("座机0731-84123456",), "****3456")),
    ], lambda page: sign_in_page(page, live_server, "office"), "staff")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_suggestion_from_a_draft_shows_the_unit_its_deputy_suggested_on_every_screen(
        app, live_server, browser, run_jobs, runtime, tmp_path):  # noqa: F811
    """The office, the unit and the deputy read the draft's 建议承办单位 under the suggestion's text, at every width."""
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    unit_id, _ = _units(runtime)
    report(app.test_client(), slug_of(wang), "幸福小区东门的路灯坏了一个多月，晚上很黑。建议尽快修好路灯。")
    run_jobs()
    suggested = "区住房和城乡建设局（会同青石街道办事处、区城市管理和综合执法局）"
    rules = runtime.settings.lifecycle
    with runtime.sessions() as session, session.begin():
        draft = session.scalar(select(Draft))
        draft.edits = {**(draft.edits or {}), "handling_unit": suggested}
        found = handling.register_from_draft(session, _submitted(session, wang["id"], draft.messages[0].id),
                                             actor="staff:admin", rules=rules)
        handling.assign(session, [found.id], lead_unit_id=unit_id, actor="staff:admin", rules=rules)
        suggestion_id = found.id
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "admin", StaffRole.ADMIN, None)

    def deputy(page):
        page.goto(f"{live_server}/deputy/login")
        page.fill("#phone", "13900000001")
        page.fill("#password", "wang-pass-1")
        page.click("button[type=submit]")
        page.wait_for_url("**/deputy/")

    problems = []
    for kind, sign_in, path in (
            ("suggested-office", lambda page: sign_in_page(page, live_server, "admin"), "/staff/suggestions/"),
            ("suggested-unit", lambda page: sign_in_page(page, live_server, "zhujian", lands="**/unit/"),
             "/unit/suggestions/"),
            ("suggested-deputy", deputy, "/deputy/suggestions/")):
        def shown(page, path=path):
            page.goto(f"{live_server}{path}{suggestion_id}")
            heading = page.get_by_role("heading", name="建议承办单位", exact=True)
            expect(heading).to_be_visible()
            assert heading.evaluate("(h) => h.nextElementSibling.innerText") == suggested
        problems += _tour(browser, live_server, [("suggestion", shown)], sign_in, kind)
    assert not problems, "\n".join(problems)
