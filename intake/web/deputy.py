"""The deputy's pages: sign in, their drafts and the messages behind them — nobody else's."""

from __future__ import annotations

import io

from flask import Blueprint, abort, redirect, render_template, send_file, url_for

from intake.services import accounts, documents, drafting, photos
from intake.web import access, files
from intake.web.requests import db

bp = Blueprint("deputy", __name__, url_prefix="/deputy")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/login", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def login():
    return access.login_form(access.DEPUTY, "phone", accounts.authenticate_deputy, "deputy/login.html",
                             "deputy.home", "手机号或密码不对，请重新输入。")


@bp.post("/logout")
@access.rule(access.DEPUTY)
def logout():
    access.sign_out()
    return redirect(url_for("deputy.login"))


@bp.get("/")
@access.rule(access.DEPUTY)
def home():
    deputy = access.current_deputy()
    return render_template("deputy/home.html", deputy=deputy, drafts=drafting.drafts_for(db(), deputy.id))


@bp.get("/drafts/<int:draft_id>")
@access.rule(access.DEPUTY)
def draft(draft_id: int):
    found = drafting.draft_of(db(), access.current_deputy().id, draft_id)
    if found is None:
        abort(404)
    last_viewed = drafting.mark_viewed(found)
    db().commit()
    return render_template("deputy/draft.html", draft=found, last_viewed=last_viewed,
                           photos=photos.ids_by_message(db(), [m.id for m in found.messages]))


@bp.get("/drafts/<int:draft_id>/document")
@access.rule(access.DEPUTY)
def draft_document(draft_id: int):
    found = drafting.draft_of(db(), access.current_deputy().id, draft_id)
    if found is None:
        abort(404)
    return send_file(io.BytesIO(documents.draft_document(found)), mimetype=DOCX, as_attachment=True,
                     download_name=f"代表建议草稿-{found.id}.docx")


@bp.get("/messages/<int:message_id>/photos/<int:photo_id>")
@access.rule(access.DEPUTY)
def message_photo(message_id: int, photo_id: int):
    return files.photo(photos.for_deputy(db(), access.current_deputy().id, message_id, photo_id))
