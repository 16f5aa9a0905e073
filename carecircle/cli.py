"""The ``carecircle`` command (SPEC §6)."""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from datetime import UTC, date, datetime
from pathlib import Path

import click

from carecircle.collector import without_cycle_collection
from carecircle.reportfile import PendingReport
from carecircle.stopping import Terminated, sigterm_interrupts
from carecircle.texts import reason, say, text
from graph.errors import CarecircleError, StoreError
from graph.language import LANGUAGES, N_, number, translate, translate_plural

__all__ = ["main"]

DEFAULT_STORE = "carecircle.db"
_ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])
_STORE_HELP = "File path or sqlite:///PATH; or bolt://, neo4j://, bolt+s://, neo4j+s:// for Neo4j."
database_option = click.option(
    "--database",
    help="Neo4j database (default: the server's); credentials from NEO4J_USERNAME/NEO4J_PASSWORD.",
)


def _as_date(value) -> date | None:
    return value.date() if value is not None else None


def _lang() -> str:
    """The language of messages of the command being run (``--lang``)."""
    return click.get_current_context().obj["lang"]


def _residents(count: int, lang: str) -> str:
    """``count`` residents, in words of ``lang``."""
    return translate_plural("{count} resident", "{count} residents", count, lang)


#: commands that read, compute and write, then end: the cycle collector stays paused while they run
_BATCH_COMMANDS = frozenset(
    {"generate", "ingest", "import-networkcanvas", "analyze", "agenda", "evaluate", "export"}
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=lambda: os.environ.get("CARECIRCLE_LANG", "en"),
    show_default="en, or $CARECIRCLE_LANG",
    help="Language of messages / taal van meldingen.",
)
@click.version_option(package_name="carecircle")
@click.pass_context
def cli(context: click.Context, lang: str) -> None:
    """carecircle: who supports whom around residents at home, and where coordination fails.

    carecircle: wie ondersteunt wie rond thuiswonende bewoners, en waar schiet afstemming tekort.
    """
    # main() says when this process is the carecircle command itself, which ends after it
    settings = context.ensure_object(dict)
    process_ends = settings.get("process_ends", False)
    settings["lang"] = lang  # main() renders errors in it
    if context.invoked_subcommand in _BATCH_COMMANDS:
        context.with_resource(without_cycle_collection(freeze_after=process_ends))


@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--residents", default=2000, show_default=True, type=click.IntRange(min=7))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--as-of", type=_ISO_DATE, help="Snapshot date (default 2024-06-01).")
def generate(out: Path, residents: int, seed: int, as_of) -> None:
    """Write a synthetic ALTOO-style dataset to OUT (canonical CSV; same seed, same bytes)."""
    from carecircle.synthetic import generate_dataset

    options = {"residents": residents, "seed": seed}
    if as_of is not None:
        options["as_of"] = _as_date(as_of)
    lang = _lang()
    with _progress(text("generating", lang, residents=_residents(residents, lang))):
        result = generate_dataset(out, **options)
    say(
        "wrote_dataset",
        lang,
        path=out,
        files=", ".join(f"{number(n, lang)} {f}" for f, n in result.rows.items()),
    )


@cli.command()
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option("--store", default=DEFAULT_STORE, show_default=True, help=_STORE_HELP)
@database_option
@click.option("--strict", is_flag=True, help="Any rejected row: write nothing, exit status 2.")
@click.option("--as-of", type=_ISO_DATE, help="Snapshot date; overrides dataset.toml.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the JSON report (default: ingest-report-<as_of>.json beside the store).",
)
@click.pass_context
def ingest(
    context, dataset: Path, store: str, database: str | None, strict: bool, as_of, report_path: Path | None
) -> None:
    """Validate DATASET (folder or .xlsx) and load it as one snapshot into the store."""
    from graph.stores import open_store
    from ingest.pipeline import ingest_dataset

    lang = context.obj["lang"]
    target = open_store(store, database=database)
    with _progress(translate(N_("ingest"), lang)) as step:
        result = ingest_dataset(dataset, as_of=_as_date(as_of), lang=lang, on_step=step)
        report = result.report.as_dict()
        refused = strict and bool(result.report.rejected)
        report["written"] = not refused
        report_path = report_path or _beside(target, f"ingest-report-{result.snapshot.as_of}.json")
        pending = PendingReport(report_path, report, store, lang)
        if refused:
            pending.write(None)
        else:
            step(text("storing_snapshot", lang, as_of=result.snapshot.as_of))
            if hasattr(target, "on_batch"):
                target.on_batch = lambda what, rows: step(
                    translate_plural(
                        "storing {what}: {count} row", "storing {what}: {count} rows", rows, lang, what=what
                    )
                )
            with target:
                try:
                    target.save(result.snapshot, report, before_commit=pending.write)
                except StoreError as error:  # the store said what went wrong; the ingest says the outcome
                    pending.discard()
                    raise CarecircleError(text("not_written", lang, message=error.message(lang))) from error
                except BaseException:
                    pending.discard()
                    raise
    pending.publish()
    _print_summary(report, report_path, store, lang)
    if refused:
        say("strict_refused", lang, err=True)
        sys.exit(2)


@cli.command("import-networkcanvas")
@click.argument("export", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    "mapping",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The mapping of the interview's variables to carecircle's (SPEC §12).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The dataset folder to write (replaces an earlier import there, never another folder).",
)
@click.option("--as-of", type=_ISO_DATE, help="Snapshot date (default: the latest interview's date).")
@click.pass_context
def import_networkcanvas(context, export: Path, mapping: Path, out: Path, as_of) -> None:
    """Turn a Network Canvas CSV export (EXPORT folder or .zip) into the dataset folder --out.

    Zet een CSV-export van Network Canvas (map of .zip) om in de datasetmap --out.
    """
    from ingest.networkcanvas.pipeline import REPORT_NAME
    from ingest.networkcanvas.pipeline import import_networkcanvas as run_import

    lang = context.obj["lang"]
    with sigterm_interrupts(), _progress(translate(N_("import"), lang)):
        report = run_import(export, mapping, out, as_of=_as_date(as_of), lang=lang)
    _print_counts(report, lang)
    say("wrote", lang, path=out)
    say("report", lang, path=out / REPORT_NAME)
    say("next_ingest", lang, path=out)


@cli.command()
@click.argument("dataset", required=False, type=click.Path(path_type=Path))
@click.option("--store", help="Analyse a stored snapshot instead of a dataset. " + _STORE_HELP)
@database_option
@click.option("--as-of", type=_ISO_DATE, help="Snapshot date (store: which snapshot, default newest).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "table"]), default="json", show_default=True
)
@click.option("--role", type=click.Choice(["team", "policy"]), default="team", show_default=True)
@click.option(
    "--k", "k", type=click.IntRange(min=2), default=5, show_default=True, help="Small-cell threshold."
)
@click.option("--out", type=click.Path(path_type=Path), help="File (json, xlsx, table) or folder (csv).")
@click.pass_context
def analyze(
    context, dataset: Path | None, store: str | None, database, as_of, fmt: str, role: str, k: int, out
) -> None:
    """Find coordination gaps and compute the metrics of SPEC §5 for DATASET or --store."""
    from graph.analysis import analyse, to_json
    from graph.analysis.formats import write_csv, write_table, write_xlsx
    from graph.analysis.report import json_bytes

    if fmt == "xlsx" and out is None:
        raise click.UsageError(text("xlsx_needs_out", context.obj["lang"]))

    lang = context.obj["lang"]
    if store is not None and dataset is None:
        analysis = _analyse_store(store, database, _as_date(as_of), lang)
    else:
        analysis = analyse(_load_snapshot(dataset, store, database, _as_date(as_of), lang))
    result = to_json(analysis, role=role, k=k, lang=lang)
    if fmt == "csv":
        for path in write_csv(result, out, sys.stdout):
            say("wrote", lang, err=True, path=path)
        return
    if fmt == "xlsx":
        say("wrote", lang, err=True, path=write_xlsx(result, out))
        return
    if fmt == "json":
        _emit(json_bytes(result), out)
        return
    from rich.console import Console

    if out is None:
        write_table(result, Console(), lang)
    else:
        with out.open("w", encoding="utf-8") as handle:
            write_table(result, Console(file=handle, width=120), lang)


@cli.command()
@click.argument("dataset", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--store", help="Read the snapshots from this store instead of a dataset. " + _STORE_HELP)
@database_option
@click.option("--as-of", type=_ISO_DATE, help="Snapshot to prepare (store: default newest).")
@click.option(
    "--since", type=_ISO_DATE, help="Earlier stored snapshot to compare with (default: the one before)."
)
@click.option("--neighbourhood", help="Only this neighbourhood's residents and meetings.")
@click.option("--top", type=click.IntRange(min=1), help="Keep the first N residents.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "html"]), default="json", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path), help="File (json, xlsx, html) or folder (csv).")
@click.pass_context
def agenda(
    context, dataset: Path | None, store: str | None, database, as_of, since, neighbourhood, top, fmt, out
) -> None:
    """The district team's agenda (SPEC §10): what changed since the last snapshot, what to do next.

    De agenda van het wijkteam: wat veranderde sinds de vorige peildatum, en wat nu te doen.
    """
    from graph.analysis import agenda_json, build_agenda

    lang = context.obj["lang"]
    if fmt == "xlsx" and out is None:
        raise click.UsageError(text("xlsx_needs_out", lang))
    with _agenda_snapshots(dataset, store, database, _as_date(as_of), _as_date(since), lang) as pair:
        current, earlier = pair
        areas = sorted(set(current.residents["neighbourhood"]))
        if neighbourhood is not None and neighbourhood not in areas:
            raise click.UsageError(
                text("unknown_neighbourhood", lang, name=neighbourhood, known=", ".join(areas))
            )
        result = agenda_json(build_agenda(current, earlier, neighbourhood=neighbourhood, top=top), lang)
    _write_agenda(result, fmt, out, lang)


def _agenda_snapshots(
    dataset: Path | None,
    store: str | None,
    database: str | None,
    as_of: date | None,
    since: date | None,
    lang: str,
):
    """The snapshot T to prepare and what build_agenda takes of the earlier one S (None: there is
    none), as a context: S may be worked out in a second process while T is analysed."""
    if dataset is not None and since is not None:
        raise click.UsageError(text("since_needs_store", lang))
    if store is None or dataset is not None:
        return nullcontext((_load_snapshot(dataset, store, database, as_of, lang), None))
    from carecircle.pair import stored_pair
    from graph.stores import open_store

    with open_store(store, database=database) as source:
        stored = [info.as_of for info in source.snapshots()]
        if not stored or (as_of is not None and as_of not in stored):
            source.load(as_of)  # the store's own error: empty, or no snapshot of that date
    day = as_of or stored[-1]
    if since is not None and since not in stored:
        raise click.UsageError(
            text("since_not_stored", lang, since=since.isoformat(), stored=", ".join(map(str, stored)))
        )
    if since is not None and since >= day:
        raise click.UsageError(
            text("since_not_earlier", lang, since=since.isoformat(), as_of=day.isoformat())
        )
    before = [stored_day for stored_day in stored if stored_day < day]
    return stored_pair(store, database, day, since or (before[-1] if before else None))


def _write_agenda(result: dict, fmt: str, out: Path | None, lang: str) -> None:
    from graph.analysis.agenda_formats import agenda_html, write_agenda_csv, write_agenda_xlsx
    from graph.analysis.report import json_bytes

    if fmt == "csv":
        for path in write_agenda_csv(result, out, sys.stdout):
            say("wrote", lang, err=True, path=path)
        return
    if fmt == "xlsx":
        say("wrote", lang, err=True, path=write_agenda_xlsx(result, out))
        return
    _emit(json_bytes(result) if fmt == "json" else agenda_html(result, lang).encode("utf-8"), out)
    if out is not None:
        say("wrote", lang, err=True, path=out)


def _emit(encoded: bytes, out: Path | None) -> None:
    """Print ``encoded`` (UTF-8) on standard output, or write it to the file ``out``."""
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(encoded)
        sys.stdout.buffer.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(encoded)


@cli.command()
@click.option("--store", required=True, help="The store with the snapshots to compare. " + _STORE_HELP)
@database_option
@click.option("--pilot", required=True, help="The pilot neighbourhood.")
@click.option("--from", "first", type=_ISO_DATE, help="First stored snapshot F (default: the first).")
@click.option("--to", "last", type=_ISO_DATE, help="Last stored snapshot L (default: the last).")
@click.option("--role", type=click.Choice(["team", "policy"]), default="team", show_default=True)
@click.option(
    "--k", "k", type=click.IntRange(min=2), default=5, show_default=True, help="Small-cell threshold."
)
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="json", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="File to write instead of standard output.")
@click.pass_context
def evaluate(
    context, store: str, database, pilot: str, first, last, role: str, k: int, fmt: str, out
) -> None:
    """Evaluate a pilot neighbourhood over time (SPEC §11): do helpers find each other more there?

    Evalueer een pilotwijk door de tijd: vinden hulpverleners elkaar daar vaker?
    """
    from graph.analysis.evaluation import evaluate as evaluate_pilot
    from graph.analysis.evaluation_words import evaluation_json
    from graph.analysis.report import json_bytes

    lang = context.obj["lang"]
    analyses = _analyse_range(store, database, _as_date(first), _as_date(last), lang)
    known = sorted({area.neighbourhood for analysis in analyses for area in analysis.neighbourhoods})
    if pilot not in known:
        raise click.UsageError(text("unknown_neighbourhood", lang, name=pilot, known=", ".join(known)))
    result = evaluation_json(evaluate_pilot(analyses, pilot, role=role, k=k), lang)
    if fmt == "json":
        _emit(json_bytes(result), out)
    else:
        from graph.analysis.evaluation_formats import evaluation_html, evaluation_markdown

        # an organisation's newest name, also of one that only an earlier snapshot names
        names = {
            group: name
            for analysis in analyses
            for group, name in analysis.organisation_names.items()
            if name
        }
        write = evaluation_markdown if fmt == "md" else evaluation_html
        _emit(write(result, names, lang).encode("utf-8"), out)
    if out is not None:
        say("wrote", lang, err=True, path=out)


def _analyse_range(uri: str, database: str | None, first: date | None, last: date | None, lang: str) -> list:
    """The analyses of the stored snapshots from ``first`` to ``last`` (default: all), oldest first."""
    from carecircle.pair import stored_analyses
    from graph.stores import open_store

    with open_store(uri, database=database) as source:
        stored = [info.as_of for info in source.snapshots()]
        if not stored:
            source.load()  # the store's own error: no snapshot stored
    for option, chosen in (("--from", first), ("--to", last)):
        if chosen is not None and chosen not in stored:
            raise click.UsageError(
                text(
                    "date_not_stored",
                    lang,
                    option=option,
                    day=chosen.isoformat(),
                    stored=", ".join(map(str, stored)),
                )
            )
    first, last = first or stored[0], last or stored[-1]
    if first > last:
        raise click.UsageError(text("from_after_to", lang, first=first.isoformat(), last=last.isoformat()))
    chosen = [day for day in stored if first <= day <= last]
    with _progress(translate(N_("analysing"), lang)) as step:
        step(", ".join(day.isoformat() for day in chosen))
        return stored_analyses(uri, database, chosen)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="[DATASET] OUT")
@click.option("--store", help="Read the snapshot from this store instead of a dataset. " + _STORE_HELP)
@database_option
@click.option("--as-of", type=_ISO_DATE, help="Which snapshot of the store (default newest).")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), required=True)
@click.option(
    "--role",
    type=click.Choice(["team", "policy"]),
    default="team",
    show_default=True,
    help="policy: residents and helpers under random keys, without names.",
)
@click.pass_context
def export(context, paths: tuple[str, ...], store: str | None, database, as_of, fmt: str, role: str) -> None:
    """Write the graph of DATASET (or --store) to OUT: a GraphML/GEXF file or a CSV folder."""
    from graph.build import build_graph
    from graph.export import export_graph, policy_graph

    if len(paths) > 2:
        raise click.UsageError(text("too_many_paths", context.obj["lang"]))
    dataset = Path(paths[0]) if len(paths) == 2 else None
    out = Path(paths[-1])
    snapshot = _load_snapshot(dataset, store, database, _as_date(as_of), context.obj["lang"])
    graph = build_graph(snapshot)
    written = export_graph(policy_graph(graph) if role == "policy" else graph, out, fmt)
    say("wrote", context.obj["lang"], path=", ".join(str(p) for p in written))


@cli.command()
@click.option("--store", default=DEFAULT_STORE, show_default=True, help=_STORE_HELP)
@database_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("CARECIRCLE_USERS_FILE") or None,
    help="Users file (see 'carecircle users add'); default $CARECIRCLE_USERS_FILE.",
)
@click.option("--pilot", help="Pilot neighbourhood that the trends page compares with the rest.")
@click.option(
    "--k", "k", type=click.IntRange(min=2), default=5, show_default=True, help="Small-cell threshold."
)
@click.option("--secure-cookies", is_flag=True, help="Send the session cookie over HTTPS only (behind TLS).")
@click.option(
    "--audit-log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("CARECIRCLE_AUDIT_LOG") or None,
    help="Where to append the audit log (default: carecircle-audit.log beside the store file, or here).",
)
@click.pass_context
def serve(
    context,
    store: str,
    database: str | None,
    host: str,
    port: int,
    users_file,
    pilot,
    k: int,
    secure_cookies,
    audit_log,
) -> None:
    """Serve the dashboard for the store (team and policy views, SPEC §8); Ctrl+C or SIGTERM stops it."""
    with sigterm_interrupts():
        _serve(
            store,
            lang=context.obj["lang"],
            audit_log=audit_log,
            database=database,
            host=host,
            port=port,
            users_file=users_file,
            pilot=pilot,
            k=k,
            secure_cookies=secure_cookies,
        )


@cli.command()
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--data",
    "folder",
    default="carecircle-demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the sample datasets and the store.",
)
@click.option("--residents", default=2000, show_default=True, type=click.IntRange(min=7))
@click.option("--no-serve", is_flag=True, help="Prepare the data and stop (for scripts and tests).")
@click.pass_context
def demo(context, port: int, folder: Path, residents: int, no_serve: bool) -> None:
    """Generate three sample snapshots, ingest them, and serve the dashboard on 127.0.0.1.

    Genereer drie voorbeeldpeildata, laad ze en open het dashboard op 127.0.0.1.
    """
    with sigterm_interrupts():
        _demo(folder, residents, context.obj["lang"], None if no_serve else port)


def _demo(folder: Path, residents: int, lang: str, port: int | None) -> None:
    """Generate, ingest and (with a ``port``, checked free first) serve the demo's data."""
    from carecircle.synthetic import PILOT, generate_series
    from carecircle.synthetic.networkcanvas_demo import write_demo_networkcanvas
    from graph.stores import open_store
    from ingest.pipeline import ingest_dataset
    from ingest.pseudonym import Pseudonymiser

    store_path = folder / "carecircle.db"
    if port is not None:  # a taken port stops the demo before its minute of generating and ingesting
        _check_port("127.0.0.1", port, lang)
    # the demo's own key: its data are synthetic, and it must not create the user's key file
    pseudonymiser = Pseudonymiser(b"carecircle demo data only")
    with _progress(translate(N_("demo"), lang)) as step:
        step(text("generating_sample_data", lang))
        series = generate_series(folder / "datasets", residents=residents)
        write_demo_networkcanvas(folder / "networkcanvas")
        store = open_store(str(store_path))
        with store:
            for dataset in series:
                step(text("ingesting", lang, name=dataset.path.name))
                result = ingest_dataset(dataset.path, pseudonymiser=pseudonymiser, lang=lang)
                report = {**result.report.as_dict(), "written": True}
                store.save(result.snapshot, report)
    dates = ", ".join(d.path.name for d in series)
    say("sample_data", lang, residents=_residents(residents, lang), dates=dates)
    say("store", lang, path=store_path)
    if port is None:
        return
    _serve(
        str(store_path),
        lang=lang,
        host="127.0.0.1",
        port=port,
        users_file=None,
        pilot=PILOT,
        k=5,
        secure_cookies=False,
    )


@cli.group()
def users() -> None:
    """Dashboard accounts with hashed passwords / accounts voor het dashboard."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["team", "policy"]), required=True)
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("CARECIRCLE_USERS_FILE") or "users.toml",
    show_default="users.toml, or $CARECIRCLE_USERS_FILE",
)
@click.password_option(help="Asked for when not given (twice, not echoed).")
def users_add(name: str, role: str, users_file: Path, password: str) -> None:
    """Add or replace user NAME with ROLE in the users file (Argon2-hashed password, mode 0600)."""
    from dashboards.accounts import add_account

    if len(password) < 10:
        raise click.UsageError(text("short_password", _lang()))
    add_account(Path(users_file), name, role, password)
    click.echo(f"{name} ({role}) in {users_file}")


def _serve(store: str, *, lang: str, **options) -> None:
    """Serve the dashboard until Ctrl+C or SIGTERM stops it, with exit status 0: the way a server is
    meant to stop, also while it starts (waitress ends its own run quietly on a KeyboardInterrupt)."""
    with suppress(KeyboardInterrupt):
        _run_dashboard(store, lang=lang, **options)
    say("dashboard_stopped", lang, err=True)


def _run_dashboard(
    store: str, *, lang, host, port, users_file, pilot, k, secure_cookies, database=None, audit_log=None
) -> None:
    import logging

    from dashboards.access import audit_to_file
    from dashboards.accounts import load_accounts
    from dashboards.app import serve as run
    from graph.stores import open_store

    _check_port(host, port, lang)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("waitress").setLevel(logging.WARNING)
    if audit_log is None:
        audit_log = _beside(open_store(store, database=database), "carecircle-audit.log")
    try:
        audit_to_file(audit_log)
    except OSError as error:
        raise CarecircleError(
            text("audit_log_unwritable", lang, path=audit_log, reason=reason(error, lang))
        ) from error
    say("audit_log", lang, path=audit_log)
    accounts = load_accounts(users_file)
    try:
        run(
            store,
            database=database,
            host=host,
            port=port,
            accounts=accounts,
            users_file=users_file,
            pilot=pilot,
            k=k,
            session_key=os.environ.get("CARECIRCLE_SESSION_KEY"),
            secure_cookies=secure_cookies,
            ready=lambda url: say("dashboard_ready", lang, url=url),
        )
    except OSError as error:
        raise _cannot_listen(host, port, error, lang) from error


def _check_port(host: str, port: int, lang: str) -> None:
    """Stop with the "cannot listen" message when the dashboard could not listen on ``host:port``."""
    from dashboards.listening import check_port

    try:
        check_port(host, port)
    except OSError as error:
        raise _cannot_listen(host, port, error, lang) from error


def _cannot_listen(host: str, port: int, error: OSError, lang: str) -> CarecircleError:
    reason = error.strerror or str(error)
    return CarecircleError(text("cannot_listen", lang, host=host, port=str(port), reason=reason))


def _analyse_store(uri: str, database: str | None, as_of: date | None, lang: str):
    """Analyse a stored snapshot: at once, or one neighbourhood at a time when it is large."""
    from graph.analysis import analyse_stored
    from graph.stores import open_store

    with open_store(uri, database=database) as source, _progress(translate(N_("analysing"), lang)) as step:

        def show(area: str | None, position: int, parts: int) -> None:
            name = translate(N_("all neighbourhoods"), lang) if area is None else area
            step(f"{name} ({number(position, lang)}/{number(parts, lang)})")

        return analyse_stored(source, as_of, show)


def _load_snapshot(
    dataset: Path | None, store: str | None, database: str | None, as_of: date | None, lang: str
):
    if (dataset is None) == (store is None):
        raise click.UsageError(text("dataset_or_store", lang))
    if store is not None:
        from graph.stores import open_store

        with open_store(store, database=database) as source:
            return source.load(as_of)
    from ingest.pipeline import ingest_dataset

    result = ingest_dataset(dataset, as_of=as_of, lang=lang)
    if result.report.rejected:
        rejected = len(result.report.rejected)
        click.echo(
            translate_plural(
                "{count} row rejected; run carecircle ingest for the report",
                "{count} rows rejected; run carecircle ingest for the report",
                rejected,
                lang,
            ),
            err=True,
        )
    return result.snapshot


def _beside(store, name: str) -> Path:
    """A file beside the store's file (the embedded store), or in this folder (a server store)."""
    folder = store.path.parent if hasattr(store, "path") else Path.cwd()
    return folder / name


def _print_summary(report: dict, report_path: Path, store: str, lang: str) -> None:
    _print_counts(report, lang)
    if report.get("written"):
        say("stored", lang, store=store)
    if "replaced" in report:
        replaced = report["replaced"]
        ingested_at = datetime.fromisoformat(replaced["ingested_at"]).astimezone(UTC)
        say(
            "replaced",
            lang,
            as_of=replaced["as_of"],
            ingested_at=ingested_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            dataset=replaced["dataset"],
        )
    say("report", lang, path=report_path)


def _print_counts(report: dict, lang: str) -> None:
    """The dataset and date of a report, its counts per file, the first problems, the ignored columns."""
    say("dataset", lang, dataset=report["dataset"], as_of=report["as_of"])
    width = max(map(len, report["files"]), default=0)  # long file names (an export's) stay in columns
    for name, counts in report["files"].items():
        say("file_counts", lang, name=name.ljust(width), **counts)
    counted = report.get("problem_counts", {})
    for kind in ("rejected", "warnings"):
        examples = report[kind]
        total = (
            sum(n for codes in counted[kind].values() for n in codes.values())
            if kind in counted
            else len(examples)  # a report without counts lists every problem
        )
        if not total:
            continue
        click.echo(_heading(kind, total, lang))
        shown = examples[:10]
        for problem in shown:
            where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
            column = f" [{problem['column']}]" if problem["column"] else ""
            click.echo(f"  {where}{column} {problem['code']}: {problem['message']}")
        if total > len(shown):
            say("more", lang, count=total - len(shown))
    for name, columns in report["ignored_columns"].items():
        say("ignored_columns", lang, name=name, columns=", ".join(columns))


def _heading(kind: str, total: int, lang: str) -> str:
    """The line above the rejected rows or the warnings of a summary."""
    if kind == "rejected":
        return text("rejected", lang, count=total)
    return translate_plural("{count} warning:", "{count} warnings:", total, lang)


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str], None]]:
    """Show the current step on a terminal; stay quiet when stderr is not one."""
    if not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status(title) as status:
        yield lambda step: status.update(f"{title}: {step}")


def main() -> None:
    """Run the command; user errors get a message and exit status 2, never a traceback."""
    settings = {"process_ends": True}  # the group callback adds the language of messages
    try:
        cli.main(standalone_mode=False, obj=settings)
    except click.exceptions.Abort as abort:  # click turns Ctrl+C (and SIGTERM) into Abort
        say("aborted", _language(settings), err=True)
        sys.exit(_interrupted_status(abort.__cause__))
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except CarecircleError as error:
        lang = _language(settings)
        say("error", lang, err=True, message=error.message(lang))
        sys.exit(2)
    except KeyboardInterrupt as interrupt:
        say("interrupted", _language(settings), err=True)
        sys.exit(_interrupted_status(interrupt))
    except Exception as error:  # never a traceback, never data from the message
        if os.environ.get("CARECIRCLE_DEBUG"):
            raise
        say("internal", _language(settings), err=True, name=type(error).__name__)
        sys.exit(3)


def _interrupted_status(cause: BaseException | None) -> int:
    """The shell's exit status of a command stopped by a signal: 128 + SIGTERM's 15, or + SIGINT's 2."""
    return 143 if isinstance(cause, Terminated) else 130


def _language(settings: dict) -> str:
    """The language of messages: --lang, or (when the error came before it was read) $CARECIRCLE_LANG."""
    return settings.get("lang") or os.environ.get("CARECIRCLE_LANG") or LANGUAGES[0]
