"""Personal numbers and addresses typed into messages: masked on every page but the authorised staff's."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
from openpyxl import load_workbook

from intake.models import StaffRole
from intake.services.api import keys
from intake.services.privacy import masking
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
    add_unit_staff,
    deputies,
    import_roster,
    report,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    slug_of,
    write_roster,
)

# What a citizen types, and the part of it that must not be shown.
TYPED = {
    "+8613912345678": "12345678",
    "１３９１２３４５６７８": "12345678",
    "身份证430102850101123": "102850101",
    "身份证430102198501011234": "1985010112",
    "(0731)84123456": "84123456",
    "0731-84123456": "84123456",
    "邮箱zhang.san@example.com": "zhang.san",
    "卡号6222021234567890128": "0212345678901",
    "卡号6222 0212 3456 7890 128": "0212345678901",
    "电话138、1234、5678": "12345678",
    "身份证330102、19900101、1234": "19900101",
}


def _hidden(shown: str, secret: str) -> bool:
    """Whether `secret` is absent from `shown`, however the page spaces or widens the digits."""
    folded = unicodedata.normalize("NFKC", shown)
    if secret.isdigit():
        return secret not in re.sub(r"\D", "", folded)
    return secret not in folded


def test_every_format_is_masked_and_ordinary_numbers_are_not():
    for typed, secret in TYPED.items():
        masked = masking.mask(f"有事找我{typed}，谢谢")
        assert not _hidden(typed, secret) and _hidden(masked, secret), (typed, masked)
        assert "***" in masked and masked.startswith("有事找我") and masked.endswith("，谢谢"), masked
    assert masking.mask("(0731)84123456") == "0731-****3456"
    assert masking.mask("zhang.san@example.com") == "z***@example.com"
    # A long order number that is no bank card (its checksum fails), dates and sums stay as written.
    for kept in ("订单号1234567890123456", "2026年11月20日下午3点，共150元", "幸福小区3栋2单元1501室"):
        assert masking.mask(kept) == kept


def test_a_mobile_typed_with_wider_separators_or_in_chinese_numerals_is_masked():
    for typed in ("138 - 1234 - 5678", "138~1234~5678", "138，1234，5678", "138.1234.5678", "138 — 1234 — 5678",
                  "一三八一二三四五六七八", "幺三八 一二三四 五六七八", "138、1234、5678", "138‑1234‑5678",
                  "壹叁捌壹贰叁肆伍陆柒捌"):
        masked = masking.mask(f"我的电话{typed}，谢谢")
        assert masked == "我的电话138****5678，谢谢", (typed, masked)
    # Words and numbers of a report that only look a little like a phone stay as written.
    for kept in ("一二三四五六七八九十", "3号楼1单元，共12户，每户1500元", "第1、3、5、7、9条",
                 "第1、2、3、4、5、6、7、8、9、10、11、12条"):
        assert masking.mask(kept) == kept


def test_a_number_followed_or_preceded_by_a_word_with_a_chinese_numeral_is_masked():
    # 一直, 三天, 两个: words, not more digits of the number, when the number is written in Arabic digits.
    for typed, masked in {"物业电话13912345678一直打不通": "物业电话139****5678一直打不通",
                          "13912345678三天打了二十次": "139****5678三天打了二十次",
                          "0731-84123456一直没人接": "0731-****3456一直没人接",
                          "第一13912345678": "第一139****5678",
                          "身份证430102198501011234一直没还": "身份证430***********4一直没还"}.items():
        assert masking.mask(typed) == masked, (typed, masking.mask(typed))
    # Written in numerals, a numeral after it is still one digit too many.
    assert masking.mask("一三八一二三四五六七八九") == "一三八一二三四五六七八九"


def _xlsx_rows(app, run_jobs) -> list[str]:
    add_staff(app, "qingshi", StaffRole.STATION, "青石街道人大代表联络站")
    staff = sign_in_staff(app, "qingshi")
    started = staff.post("/staff/exports", data={"csrf_token": csrf_token(staff, "/staff/")})
    run_jobs()
    sheet = load_workbook(io.BytesIO(staff.get(started.headers["Location"] + ".xlsx").data)).active
    return [" ".join(str(cell) for cell in row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_each_format_is_masked_on_every_page_draft_document_and_export_but_kept_for_staff(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    echoes = []
    for typed in TYPED:
        citizen = app.test_client()
        # Someone else's number: the citizen's own (有事找我…) is kept apart from the text by the chat.
        report(citizen, slug, f"幸福小区门口的路灯坏了一个月了，物业说有事找{typed}。")
        # The chat without JavaScript echoes what was sent last.
        echoed = citizen.post(f"/c/{slug}", data={"csrf_token": csrf_token(citizen, f"/c/{slug}"),
                                                 "text": f"补充一下，联系方式{typed}"})
        echoes.append(echoed.get_data(as_text=True))
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    home = deputy.get("/deputy/").get_data(as_text=True)
    draft_paths = sorted(set(re.findall(r'href="(/deputy/drafts/\d+)"', home)))
    assert draft_paths
    shown = {"messages page": deputy.get("/deputy/messages").get_data(as_text=True)}
    for path in draft_paths:
        shown[path] = deputy.get(path).get_data(as_text=True)
        document = docx.Document(io.BytesIO(deputy.get(f"{path}/document").data))
        shown[f"{path}/document"] = "\n".join(p.text for p in document.paragraphs)
    for number, row in enumerate(_xlsx_rows(app, run_jobs)):
        shown[f"export row {number}"] = row
    for number, echo in enumerate(echoes):
        shown[f"chat echo {number}"] = echo
    for where, text in shown.items():
        assert "路灯坏了" in text or "联系方式" in text, where
        for typed, secret in TYPED.items():
            assert _hidden(text, secret), (where, typed)
    # Authorised staff read the message as it was written, to call the citizen back.
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    ids = re.findall(r'href="/staff/messages/(\d+)"', office.get("/staff/").get_data(as_text=True))
    originals = "".join(office.get(f"/staff/messages/{i}").get_data(as_text=True) for i in ids)
    assert all(typed.split("号")[-1].split("证")[-1].split("箱")[-1] in originals for typed in TYPED), originals[:500]


MANAGER_LETTERS = ("幸福小区电梯坏了一个月，物业经理王建国说没钱修，电话13912345678。",
                   "幸福小区的电梯一直停运，物业经理王建国说要等业主交维修费。",
                   "幸福小区电梯停了很久，找物业经理王建国，他说下个月再修。")


def _draft_naming_a_manager(app, run_jobs, tmp_path, letters=MANAGER_LETTERS):
    """Three citizens name the estate's property manager (by default, and one a phone number): the deputy signed
    in, and the path of the one draft they made."""
    import_roster(app, write_roster(tmp_path))
    slug = slug_of(deputies(app)[0])
    for text in letters:
        report(app.test_client(), slug, text)
    run_jobs()
    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    paths = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))
    assert len(paths) == 1, paths
    return deputy, paths[0]


def test_third_persons_names_are_masked_in_a_draft_until_its_deputy_shows_them(app, run_jobs, tmp_path):
    assert masking.mask_names("物业经理王建国说下个月再修") == "物业经理王某某说下个月再修"
    assert masking.mask_names("有个叫李明的人天天在楼下烧垃圾") == "有个叫李某的人天天在楼下烧垃圾"
    for kept in ("张某某一直不处理", "胡书记：您好", "王先生说", "叫车很难"):
        assert masking.mask_names(kept) == kept
    deputy, path = _draft_naming_a_manager(app, run_jobs, tmp_path)

    def shown() -> tuple[str, str]:
        page = deputy.get(path).get_data(as_text=True)
        document = docx.Document(io.BytesIO(deputy.get(f"{path}/document").data))
        return page, "\n".join(p.text for p in document.paragraphs)

    page, document = shown()
    for text in (page, document):
        assert "王某某" in text and "王建国" not in text and "13912345678" not in text
    assert "显示他人姓名" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    switched = deputy.post(f"{path}/names", data={"csrf_token": csrf_token(deputy, path), "version": version,
                                                  "shown": "yes"})
    assert switched.status_code == 302
    page, document = shown()
    for text in (page, document):
        assert "王建国" in text and "13912345678" not in text and "139****5678" in text
    assert "隐去他人姓名" in page and "显示或隐去他人姓名" in page
    # The deputy's messages page shows what citizens wrote, numbers masked; names are a matter of drafts.
    listed = deputy.get("/deputy/messages").get_data(as_text=True)
    assert "王建国" in listed and "13912345678" not in listed


def test_a_name_one_letter_tells_is_masked_in_every_sentence_of_the_draft(app, run_jobs, tmp_path):
    """谷 is a less common surname: 谷斌海 is told as a name only after 物业经理, yet the other letters' sentences,
    points of their own on the page and in the document, say it bare."""
    deputy, path = _draft_naming_a_manager(app, run_jobs, tmp_path, ("幸福小区电梯坏了一个月，物业经理谷斌海说没钱修。",
                                                                   "幸福小区的电梯一直停运，谷斌海说要等业主交维修费。",
                                                                   "幸福小区电梯停了很久，找谷斌海，他说下个月再修。"))
    page = deputy.get(path).get_data(as_text=True)
    document = docx.Document(io.BytesIO(deputy.get(f"{path}/document").data))
    for text in (page, "\n".join(p.text for p in document.paragraphs)):
        assert "谷某某" in text and "谷斌海" not in text


def test_a_suggestion_keeps_the_names_its_deputy_hid_from_units_the_api_and_the_ledger(app, run_jobs, tmp_path):
    deputy, path = _draft_naming_a_manager(app, run_jobs, tmp_path)
    page = deputy.get(path).get_data(as_text=True)
    assert "王某某" in page and "王建国" not in page  # what the deputy reads, and signs
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    approved = deputy.post(f"{path}/approve", data={"csrf_token": csrf_token(deputy, path), "version": version,
                                                    "confirm": "yes"})
    assert approved.status_code == 302
    unit_id = add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    with app.extensions["mashang"].sessions() as session, session.begin():
        key, raw = keys.create_key(session, name="12345", scopes=frozenset({"read"}), station_id=None,
                                   secret=app.config["SECRET_KEY"])
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    registered = office.post(f"/staff/drafts/{path.rsplit('/', 1)[1]}/register",
                             data={"csrf_token": csrf_token(office, "/staff/suggestions"), "kind": "recess"})
    assert registered.status_code == 302
    listed = office.get("/staff/suggestions").get_data(as_text=True)
    suggestion = re.findall(r'href="/staff/suggestions/(\d+)"', listed)[0]
    assigned = office.post("/staff/suggestions/assign", data={
        "csrf_token": csrf_token(office, "/staff/suggestions"), "ids": suggestion, "lead_unit": str(unit_id)})
    assert assigned.status_code == 302
    shown = {"unit page": sign_in_staff(app, "zhujian").get(f"/unit/suggestions/{suggestion}").get_data(as_text=True),
             "office page": office.get(f"/staff/suggestions/{suggestion}").get_data(as_text=True),
             "api": app.test_client().get(f"/api/v1/suggestions/{suggestion}",
                                          headers={"Authorization": f"Bearer {raw}"}).get_data(as_text=True)}
    sheet = load_workbook(io.BytesIO(office.get("/staff/suggestions.xlsx").data)).active
    shown["ledger"] = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert all("幸福小区" in text for text in shown.values()), shown
    for where, text in shown.items():
        assert "王建国" not in text and "13912345678" not in text, where


def test_a_landline_without_its_area_code_is_masked_after_the_word_naming_it():
    for typed, masked in {"座机84123456": "座机****3456", "固话 8412 3456，白天有人": "固话 ****3456，白天有人",
                          "我家固定电话是2345678。": "我家固定电话是****5678。",
                          "小区里有84123456户": "小区里有84123456户"}.items():
        assert masking.mask(typed) == masked, (typed, masking.mask(typed))


def test_the_office_lists_a_waiting_draft_titled_as_its_page_masks_it(app, run_jobs, tmp_path):
    """建议办理 listed a submitted draft's title as typed (物业经理王建国) while the draft's own page, and the
    suggestion registering it makes, say 王某某."""
    deputy, path = _draft_naming_a_manager(app, run_jobs, tmp_path)
    version = re.search(r'name="version" value="(\d+)"', deputy.get(path).get_data(as_text=True)).group(1)
    assert deputy.post(f"{path}/sections/title", data={"csrf_token": csrf_token(deputy, path), "version": version,
                                                       "text": "关于督促物业经理王建国修复幸福小区电梯的建议"}).status_code == 302
    version = re.search(r'name="version" value="(\d+)"', deputy.get(path).get_data(as_text=True)).group(1)
    assert deputy.post(f"{path}/approve", data={"csrf_token": csrf_token(deputy, path), "version": version,
                                                "confirm": "yes"}).status_code == 302
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    page = office.get(f"/staff/drafts/{path.rsplit('/', 1)[1]}").get_data(as_text=True)
    listed = office.get("/staff/suggestions").get_data(as_text=True)
    title = "关于督促物业经理王某某修复幸福小区电梯的建议"
    assert f"<h2>{title}</h2>" in page
    assert f">{title}</a>" in listed and "王建国" not in listed, listed


def _approved_with_unit(app, run_jobs, tmp_path, unit: str) -> str:
    """The draft naming a manager, its 建议承办单位 written by its deputy as `unit`, approved: its id."""
    deputy, path = _draft_naming_a_manager(app, run_jobs, tmp_path)
    version = re.search(r'name="version" value="(\d+)"', deputy.get(path).get_data(as_text=True)).group(1)
    assert deputy.post(f"{path}/sections/handling_unit", data={"csrf_token": csrf_token(deputy, path),
                                                               "version": version, "text": unit}).status_code == 302
    version = re.search(r'name="version" value="(\d+)"', deputy.get(path).get_data(as_text=True)).group(1)
    assert deputy.post(f"{path}/approve", data={"csrf_token": csrf_token(deputy, path), "version": version,
                                                "confirm": "yes"}).status_code == 302
    return path.rsplit("/", 1)[1]


def test_the_office_lists_a_waiting_drafts_unit_as_its_page_masks_it(app, run_jobs, tmp_path):
    """建议办理's waiting list showed a draft's 建议承办单位 as typed (物业经理王建国) while the draft's page says 王某某."""
    draft_id = _approved_with_unit(app, run_jobs, tmp_path, "区住建局（督促物业经理王建国）")
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    page = office.get(f"/staff/drafts/{draft_id}").get_data(as_text=True)
    listed = office.get("/staff/suggestions").get_data(as_text=True)
    assert "区住建局（督促物业经理王某某）" in page
    assert '<td data-label="建议承办单位">区住建局（督促物业经理王某某）</td>' in listed, listed
    assert "王建国" not in listed


def test_every_page_of_a_registered_suggestion_shows_the_unit_its_deputy_suggested(app, run_jobs, tmp_path):
    """A clerk giving the suggestion to a unit, the unit and the deputy read what the deputy suggested, masked as
    the draft masked it, escaped."""
    draft_id = _approved_with_unit(app, run_jobs, tmp_path, "区住建局<b>（督促物业经理王建国）")
    unit_id = add_unit_staff(app, "zhujian", "区住房和城乡建设局")
    add_staff(app, "office", StaffRole.OFFICE, None)
    office = sign_in_staff(app, "office")
    assert office.post(f"/staff/drafts/{draft_id}/register", data={
        "csrf_token": csrf_token(office, "/staff/suggestions"), "kind": "recess"}).status_code == 302
    suggestion = re.findall(r'href="/staff/suggestions/(\d+)"', office.get("/staff/suggestions").get_data(as_text=True))[0]
    before = office.get(f"/staff/suggestions/{suggestion}").get_data(as_text=True)
    assert office.post("/staff/suggestions/assign", data={
        "csrf_token": csrf_token(office, "/staff/suggestions"), "ids": suggestion,
        "lead_unit": str(unit_id)}).status_code == 302
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    shown = {"office before 交办": before,
             "office": office.get(f"/staff/suggestions/{suggestion}").get_data(as_text=True),
             "unit": sign_in_staff(app, "zhujian").get(f"/unit/suggestions/{suggestion}").get_data(as_text=True),
             "deputy": deputy.get(f"/deputy/suggestions/{suggestion}").get_data(as_text=True)}
    for where, page in shown.items():
        assert "<h2>建议承办单位</h2>" in page, where
        assert "区住建局&lt;b&gt;（督促物业经理王某某）" in page, where
        assert "王建国" not in page, where
