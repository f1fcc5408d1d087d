"""`mashang classifier …`: train, evaluate, try and switch topic models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.cli.context import runtime as _runtime


@click.group(help="留言分类模型：训练、评估、试用、切换版本。")
def classifier():
    pass


def _read_labelled(path: Path, text_col: str, label_col: str):
    from intake.services.topics import training
    from intake.services.console.tables import TableError
    from intake.web import wording

    try:
        return training.from_file(path.name, path.read_bytes(), text_col, label_col)
    except (TableError, training.TrainingDataError) as exc:
        click.echo(f"训练数据有误：{wording.of(exc)}", err=True)
        sys.exit(1)


def _load_model(spec: str, session):
    """`default` is the day-one model, `active` the one in use, else a version or a file from `train --out`."""
    from intake.classifier import day_one, registry
    from intake.classifier.learned import LearnedModel, ModelSignatureError

    runtime = _runtime()
    key = runtime.settings.model_signing_key
    try:
        if spec == "default":
            return day_one.model(runtime.taxonomy.topics)
        if spec == "active":
            return registry.active(session, runtime.taxonomy, key)
        path = Path(spec)
        if path.is_file():
            return LearnedModel.from_bytes(path.read_bytes(), key)
        return registry.load(session, spec, key)
    except LookupError:
        click.echo(f"找不到模型：{spec}（可用 default、active、版本号或模型文件）", err=True)
    except ModelSignatureError as exc:
        click.echo(f"{spec}：{exc}", err=True)
    sys.exit(1)


@classifier.command("train", help="训练新模型并启用。数据来自文件（--data）和/或工作人员确认、更正过的留言（--from-db）。")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), help=".csv 或 .xlsx 文件")
@click.option("--text-col", default="text", show_default=True, help="文件中留言内容所在的列。")
@click.option("--label-col", default="label", show_default=True, help="文件中分类所在的列。")
@click.option("--from-db", is_flag=True, help="加上工作人员确认或更正过分类的留言。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="另存一份模型文件。")
@click.option("--cv", "cv_folds", type=int, default=None, help="训练前先做 K 折交叉验证并记下分数。")
@click.option("--no-activate", is_flag=True, help="只保存，不启用。")
@with_appcontext
def train(data, text_col, label_col, from_db, out, cv_folds, no_activate):
    from intake.services.topics import training
    if data is None and not from_db:
        raise click.UsageError("请给出 --data FILE 或 --from-db。")
    runtime = _runtime()
    examples = training.Examples()
    if data is not None:
        texts, labels = _read_labelled(data, text_col, label_col)
        examples.add(texts, labels, 1.0, data.name)
    with runtime.sessions() as session, session.begin():
        if from_db:
            texts, labels = training.from_db(session)
            examples.add(texts, labels, training.CORRECTION_WEIGHT, "staff corrections")
            if data is None:
                texts, labels = training.seed()
                examples.add(texts, labels, 1.0, "seed sentences")
        unknown = sorted(set(examples.labels) - set(runtime.taxonomy.topics))
        if unknown:
            click.echo(f"注意：这些分类不在分类表中：{'、'.join(unknown)}", err=True)
        click.echo(f"训练中：{len(examples.texts)} 条样本（{examples.source}）……")
        try:
            model, row = training.train_and_register(session, examples, signing_key=runtime.settings.model_signing_key,
                                                        activate=not no_activate, cv_folds=cv_folds,
                                                        topics=runtime.taxonomy.topics)
        except training.TrainingDataError as exc:
            from intake.web import wording

            click.echo(wording.of(exc), err=True)
            sys.exit(1)
    if out is not None:
        out.write_bytes(model.to_bytes(runtime.settings.model_signing_key))
    cv = row.metrics.get("cross_validation")
    if cv:
        click.echo(f"{cv['folds']} 折交叉验证：macro-F1 {cv['macro_f1']:.4f}，准确率 {cv['accuracy']:.4f}")
    click.echo(f"模型 {row.version} 已保存{'' if no_activate else '并启用'}。")


@classifier.command("evaluate", help="在带分类的数据上评估模型（或用 --cv 做交叉验证）。")
@click.option("--model", "model_spec", default="active", show_default=True, help="default（初始模型）、active、版本号或模型文件")
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="带分类的 .csv 或 .xlsx 文件。")
@click.option("--text-col", default="text", show_default=True, help="文件中留言内容所在的列。")
@click.option("--label-col", default="label", show_default=True, help="文件中分类所在的列。")
@click.option("--cv", "cv_folds", type=int, default=None, help="K 折交叉验证：每折用其余数据训练新模型。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@with_appcontext
def evaluate_command(model_spec, data, text_col, label_col, cv_folds, as_json):
    from intake.classifier import evaluate
    from intake.classifier.tokenize import prepare
    from intake.services.topics import training
    texts, labels = _read_labelled(data, text_col, label_col)
    if cv_folds:
        result = training.cross_validate([prepare(t) for t in texts], labels, cv_folds, _runtime().taxonomy.topics)
        result["model"] = f"learned recipe, {cv_folds}-fold cross-validation"
    else:
        with _runtime().sessions() as session:
            model = _load_model(model_spec, session)
        predicted = [p.topic for p in model.predict_many(texts)]
        result = evaluate.metrics(labels, predicted)
        result["model"] = model.version
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"模型：{result['model']}  样本数：{result['n']}  准确率：{result['accuracy']:.4f}  macro-F1：{result['macro_f1']:.4f}")
    for label, row in result["per_label"].items():
        click.echo(f"  {label}：精确率 {row['precision']:.3f}  召回率 {row['recall']:.3f}  F1 {row['f1']:.3f}  （{row['support']} 条）")
    click.echo(evaluate.confusion_table(result))




@classifier.command("sign-unsigned", help="给升级前存下的、没有签名的模型补上签名（升级后运行一次）。")
@click.confirmation_option(prompt="只应在确信数据库中的模型未被改动时运行。继续吗？")
@with_appcontext
def sign_unsigned():
    from intake.classifier import registry

    runtime = _runtime()
    with runtime.sessions() as session, session.begin():
        signed = registry.sign_unsigned(session, runtime.settings.model_signing_key)
    click.echo(f"已签名：{'、'.join(signed)}" if signed else "没有需要签名的模型。")


@classifier.command("predict", help="看看模型怎么分一段文字：前三个分类、把握和承办单位。")
@click.argument("text")
@click.option("--model", "model_spec", default="active", show_default=True,
              help="default（初始模型）、active、版本号或模型文件")
@with_appcontext
def predict(text, model_spec):
    runtime = _runtime()
    with runtime.sessions() as session:
        prediction = _load_model(model_spec, session).predict(text)
    click.echo(f"模型 {prediction.model_version}")
    for topic, confidence in prediction.top(3):
        click.echo(f"  {topic}  {confidence:.2f}  承办单位：{runtime.taxonomy.unit_for(topic)}")
    if prediction.confidence < runtime.settings.classifier_threshold:
        click.echo("  （把握不大，会提醒工作人员复核）")


@classifier.command("versions", help="列出训练过的模型版本。")
@with_appcontext
def versions():
    from intake.classifier import registry

    with _runtime().sessions() as session:
        rows = registry.versions(session)
        if not rows:
            click.echo("还没有训练过模型，正在使用初始模型（关键词和例句）。")
        for row in rows:
            cv = row.metrics.get("cross_validation", {})
            score = f"macro-F1 {cv['macro_f1']:.4f}" if cv else ""
            click.echo(f"{'*' if row.active else ' '} {row.version}  {row.created_at:%Y-%m-%d %H:%M}  "
                       f"{row.examples} 条  {row.source}  {score}")


@classifier.command("activate", help="启用某个模型版本（default 表示初始模型）。")
@click.argument("version")
@with_appcontext
def activate(version):
    from intake.classifier import registry

    with _runtime().sessions() as session, session.begin():
        try:
            registry.set_active(session, None if version == "default" else version)
        except LookupError:
            click.echo(f"没有版本 {version}。", err=True)
            sys.exit(1)
    click.echo(f"已启用 {version}；任务进程处理下一条留言时就会用它。")


@classifier.command("rollback", help="退回到上一个模型版本。")
@with_appcontext
def rollback():
    from intake.classifier import registry

    with _runtime().sessions() as session, session.begin():
        previous = registry.rollback(session)
    click.echo(f"已退回到 {previous or '初始模型（default）'}。")
