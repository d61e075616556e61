"""The `assist` command: serve, prepare the model, import knowledge, evaluate, benchmark."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assist.errors import AssistError
from assist.knowledge.formats import parse_records
from assist.knowledge.records import BacklogTask, EvalCase, FaqEntry, Record
from assist.logs import configure_logging
from assist.settings import Settings, settings_table
from integrations.connect import cli as connect_cli
from integrations.helpdesk.cli import add_commands as add_webhook_commands

if TYPE_CHECKING:
    from assist.services import Services

RECORD_MODELS: dict[str, type[FaqEntry] | type[BacklogTask]] = {
    "faq": FaqEntry,
    "backlog": BacklogTask,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:  # a wrong ASSIST_* variable: say which, no traceback
        _err("error: the settings are not valid")
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            _err(f"  {f'ASSIST_{where.upper()}: ' if where else ''}{err['msg']}")
        return 2
    configure_logging(settings.log_level, json_lines=settings.log_json)
    try:
        result: int = args.handler(settings, args)
        return result
    except AssistError as exc:
        _err(f"error: {exc.detail}")
        for item in exc.errors:
            _err("  " + ", ".join(f"{k}={v}" for k, v in item.items() if v is not None))
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assist", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API on ASSIST_HOST:ASSIST_PORT")
    serve.set_defaults(handler=_serve)

    model = commands.add_parser("model", help="manage the embedding model")
    model_commands = model.add_subparsers(required=True, metavar="ACTION")
    prepare = model_commands.add_parser("prepare", help="convert the default model, offline")
    prepare.set_defaults(handler=_prepare)

    load = commands.add_parser(
        "import", help="upsert FAQ or backlog records from a file, or the backlog from a tracker"
    )
    load.add_argument("collection", choices=sorted(RECORD_MODELS))
    load.add_argument("file", type=Path, nargs="?", help="JSON list or JSON Lines")
    load.add_argument(
        "--delete-missing",
        action="store_true",
        help="also delete records not in the file (with --from: the tracker's tasks it no "
        "longer has; needs --full)",
    )
    load.add_argument(
        "--from",
        dest="tracker",
        choices=["redmine", "jira"],
        help="sync the backlog from this tracker: the issues updated since the last sync",
    )
    load.add_argument("--full", action="store_true", help="with --from: every issue, anew")
    load.set_defaults(handler=_import)

    remove = commands.add_parser("delete", help="delete FAQ or backlog records by id")
    remove.add_argument("collection", choices=sorted(RECORD_MODELS))
    remove.add_argument("ids", nargs="+")
    remove.set_defaults(handler=_delete)

    ev = commands.add_parser("eval", help="evaluate on a labelled case set")
    ev.add_argument("--kb", type=Path, required=True, help="FAQ file")
    ev.add_argument("--backlog", type=Path, required=True, help="backlog file")
    ev.add_argument("--cases", type=Path, required=True, help="labelled cases (JSONL)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--errors", action="store_true", help="list the cases that went wrong")
    ev.add_argument(
        "--calibrate",
        action="store_true",
        help="also choose the decision thresholds that fit these cases best",
    )
    ev.set_defaults(handler=_eval)

    bench = commands.add_parser(
        "bench",
        help="measure speed and memory",
        description="With --faq N and/or --backlog N (a number): synthetic corpora of those "
        "sizes grown from the sample files, every figure of the speed targets in one run. "
        "With --backlog FILE: in-process latency on the given records.",
    )
    bench.add_argument("--faq", type=int, help="synthetic FAQ entries")
    bench.add_argument(
        "--backlog", default=None, help="synthetic backlog size (a number), or a backlog file"
    )
    bench.add_argument("--kb", type=Path, default=Path("samples/faq.jsonl"), help="FAQ file")
    bench.add_argument(
        "--backlog-samples",
        type=Path,
        default=Path("samples/backlog.jsonl"),
        help="backlog file the synthetic backlog grows from",
    )
    bench.add_argument(
        "--cases",
        type=Path,
        default=Path("samples/cases/dev.jsonl"),
        help="messages to replay (perturbed and de-duplicated in the synthetic mode)",
    )
    bench.add_argument("--messages", type=int, default=200, help="synthetic messages")
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--rounds", type=int, default=3, help="replays (file mode)")
    bench.add_argument(
        "--fake-encoder", action="store_true", help="check the harness without the model"
    )
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(handler=_bench)

    integrations = commands.add_parser("integrations", help="connect outside systems")
    connect_cli.add_commands(integrations.add_subparsers(required=True, metavar="SYSTEM"))

    show = commands.add_parser("settings", help="list every setting with its default")
    show.add_argument("--markdown", action="store_true", help="as a Markdown table")
    show.set_defaults(handler=_settings)
    add_webhook_commands(commands)
    return parser


def _serve(settings: Settings, _args: argparse.Namespace) -> int:
    import uvicorn

    from assist.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
    return 0


def _prepare(settings: Settings, _args: argparse.Namespace) -> int:
    from embeddings.prepare import onnx_model_path, prepare_default_model

    path = prepare_default_model(settings.resolved_models_dir)
    _out(f"default model ready in {path} and {onnx_model_path(settings.resolved_models_dir)}")
    return 0


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from assist.services import build_services, import_encoder

    if args.tracker or args.full or args.file is None:
        return _import_from_tracker(settings, args)
    records = parse_records(_read(args.file), RECORD_MODELS[args.collection])
    with import_encoder(settings) as encoder:
        return _import_with(build_services(settings, encoder=encoder), records, args)


def _import_with(services: Services, records: Sequence[Record], args: argparse.Namespace) -> int:
    try:
        with _progress_bar(f"embedding {args.collection}") as progress:
            report = services.knowledge.upsert(args.collection, records, progress=progress)
        deleted = 0
        if args.delete_missing:
            keep = {r.id for r in records}
            repository = services.knowledge.repository(args.collection)
            stale = [s.record.id for s in repository.all() if s.record.id not in keep]
            deleted = len(services.knowledge.delete(args.collection, stale).deleted)
    finally:
        services.close()
    _out(
        f"{args.collection}: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {deleted} deleted"
    )
    return 0


def _import_from_tracker(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from assist.services import build_services, import_encoder
    from integrations.trackers.configured import remote_tracker, tracker_client
    from integrations.trackers.sync import apply_changes, read_changes

    if not args.tracker or args.file is not None or args.collection != "backlog":
        raise AssistError("give a file, or --from redmine|jira for the backlog (not both)")
    if args.full is False and args.delete_missing:
        raise AssistError("--delete-missing with --from needs --full")
    field = "redmine_watchers_field_id" if args.tracker == "redmine" else "jira_watchers_field"
    if getattr(settings, field) is None:
        _err(
            f"warning: ASSIST_{field.upper()} is not set, so the chat users watching each issue "
            "are not read; once it is, sync again with --full"
        )
    overlap = timedelta(seconds=settings.tracker_sync_overlap_seconds)
    with tracker_client(settings, args.tracker) as client, import_encoder(settings) as encoder:
        source = remote_tracker(settings, args.tracker, client)
        services = build_services(settings, encoder=encoder)
        try:
            state = services.store.tracker_sync
            with _progress_bar(f"reading {args.tracker}", unit=" issues") as progress:
                changes = read_changes(
                    source, state, full=args.full, overlap=overlap, progress=progress
                )
            with _progress_bar("embedding backlog") as progress:
                report = apply_changes(
                    changes,
                    source,
                    services.knowledge,
                    state,
                    delete_missing=args.delete_missing,
                    progress=progress,
                )
        finally:
            services.close()
    since = report.since.isoformat() if report.since else "the start"
    _out(
        f"backlog from {args.tracker} (updated since {since}): {report.fetched} read, "
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted"
    )
    return 0


@contextmanager
def _progress_bar(
    label: str, unit: str = " passages"
) -> Iterator[Callable[[int, int | None], None]]:
    """A bar on stderr for a long import (none when stderr is not a terminal)."""
    from tqdm import tqdm

    with tqdm(desc=label, unit=unit, file=sys.stderr, disable=None) as bar:

        def progress(done: int, total: int | None) -> None:
            if total is not None:  # None: not known (yet)
                bar.total = total
            bar.update(done - bar.n)

        yield progress


def _delete(settings: Settings, args: argparse.Namespace) -> int:
    from assist.services import build_services

    services = build_services(settings)
    try:
        report = services.knowledge.delete(args.collection, args.ids)
    finally:
        services.close()
    _out(f"{args.collection}: {len(report.deleted)} deleted, missing: {report.missing or 'none'}")
    return 0 if not report.missing else 1


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from assist.calibration import choose_thresholds
    from assist.evaluation import evaluate

    report = evaluate(
        settings,
        parse_records(_read(args.kb), FaqEntry),
        parse_records(_read(args.backlog), BacklogTask),
        parse_records(_read(args.cases), EvalCase),
    )
    metrics = dict(report.metrics)
    if args.calibrate:
        metrics["calibration"] = asdict(choose_thresholds(report.results))
    if args.json:
        _out(json.dumps(metrics, ensure_ascii=False))
    else:
        _out(_format_metrics(metrics))
    if args.errors:
        for r in report.results:
            c = r.case
            wrong = [
                (c.faq and (not r.faq_ranking or r.faq_ranking[0] != c.faq)) and "faq",
                (c.backlog and c.backlog not in r.backlog_ranking[:5]) and "backlog",
                r.language != c.language and "language",
            ]
            if any(wrong):
                _out(
                    f"{c.id}: {[w for w in wrong if w]} {c.text[:70]!r} decision={r.decision} "
                    f"faq={c.faq}->{r.faq_ranking[:3]} ({r.faq_top_score:.2f}) "
                    f"backlog={c.backlog}->{r.backlog_ranking[:3]} ({r.backlog_top_score:.2f}) "
                    f"lang={c.language}->{r.language}"
                )
    return 0


def _bench(settings: Settings, args: argparse.Namespace) -> int:
    texts = [c.text for c in parse_records(_read(args.cases), EvalCase)]
    faq = parse_records(_read(args.kb), FaqEntry)
    result: dict[str, Any]
    if args.faq is None and args.backlog is not None and not args.backlog.isdigit():
        from assist.bench.samples import run_suggest_bench

        backlog = parse_records(_read(Path(args.backlog)), BacklogTask)
        encoder = None
        if args.fake_encoder:
            from embeddings.fake import FakeEncoder

            encoder = FakeEncoder()
        result = run_suggest_bench(
            settings, faq, backlog, texts, rounds=args.rounds, encoder=encoder
        )
    else:
        from assist.bench.run import BenchConfig, Samples, run_bench

        config = BenchConfig(
            faq=args.faq if args.faq is not None else 5000,
            backlog=int(args.backlog) if args.backlog else 100_000,
            messages=args.messages,
            seed=args.seed,
            fake_encoder=args.fake_encoder,
        )
        samples = Samples(faq, parse_records(_read(args.backlog_samples), BacklogTask), texts)
        result = run_bench(settings, config, samples, say=lambda m: _err(f"bench: {m}"))
    _out(json.dumps(result, ensure_ascii=False) if args.json else _format_metrics(result))
    return 0


def _settings(_settings_obj: Settings, args: argparse.Namespace) -> int:
    rows = settings_table()
    if args.markdown:
        _out("| variable | default | what it does |\n|---|---|---|")
        for row in rows:
            default = json.dumps(row["default"], default=str, ensure_ascii=False)
            _out(f"| `{row['env']}` | `{default}` | {row['description']} |")
    else:
        for row in rows:
            _out(f"{row['env']}={json.dumps(row['default'], default=str)}  # {row['description']}")
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AssistError(f"cannot read {path}: {exc.strerror}") from exc


def _format_metrics(metrics: dict[str, Any], indent: str = "") -> str:
    lines = []
    for key, value in metrics.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(_format_metrics(value, indent + "  "))
        else:
            lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
