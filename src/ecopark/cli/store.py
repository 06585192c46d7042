"""Commands over the store: `db init|upgrade|backup|restore|verify-audit`, `load`, `export`,
`parks`, `users add|passwd|deactivate|activate|list`, `tokens create|list|revoke`, and `serve`
(the web pages and the API; `--demo` for a demo database).

The database is `--db` (a URL or an SQLite file path), else ECOPARK_DATABASE_URL, else an SQLite
file in the user data directory.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ecopark.cli.common import FrameworkOpt, app, handles_errors, writing
from ecopark.core.errors import InvalidValue, StoreError

DbOpt = Annotated[str | None, typer.Option(
    "--db", help="数据库 database URL or SQLite file (default: ECOPARK_DATABASE_URL, else a file "
    "in the user data directory)")]
ParkOpt = Annotated[str | None, typer.Option("--park", help="园区名称 park name")]

db_app = typer.Typer(no_args_is_help=True,
                     help="数据库 — create, upgrade, back up, restore, verify the audit log.")
users_app = typer.Typer(no_args_is_help=True, help="用户 — add users, set passwords, "
                        "(de)activate.")
tokens_app = typer.Typer(no_args_is_help=True, help="API 令牌 — bearer tokens for scripts: "
                         "create, list, revoke.")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _store(db: str | None, timeouts: Any = None) -> Any:
    """The store `--db` names. An engine that cannot be made (an unknown kind of database, a
    driver that is not installed, an SQLite path inside a file) is a typed error here, where
    the CLI makes its stores, since `make_engine` lets those through."""
    from sqlalchemy.exc import ArgumentError

    from ecopark.store.engine import Store, resolve_url
    from ecopark.store.timeouts import FOR_COMMANDS

    try:
        return Store(resolve_url(db), timeouts or FOR_COMMANDS)
    except (ArgumentError, ImportError, OSError) as exc:
        raise StoreError(f"无法使用该数据库 cannot use this database: {exc}",
                         "例如 e.g. --db ecopark.sqlite 或 postgresql://user@host/db") from None


def _open(db: str | None, create: bool = False, timeouts: Any = None) -> Any:
    """The store; with `create`, a database without any schema gets one first."""
    from ecopark.store.migrate import current_revision, require_current, upgrade

    store = _store(db, timeouts)
    try:
        if create and current_revision(store) is None and not store.table_names():
            upgrade(store)
            typer.echo(f"已创建数据库 created the database: {store.display_url}", err=True)
        require_current(store)
    except BaseException:
        store.dispose()
        raise
    return store


@contextmanager
def open_session(db: str | None, create: bool = False) -> Iterator[Any]:
    store = _open(db, create)
    try:
        with store.session(actor=_actor()) as session:
            yield session
    finally:
        store.dispose()


# --------------------------------------------------------------------------- db


@db_app.command("init")
@handles_errors
def db_init(db: DbOpt = None) -> None:
    """创建数据库结构 — create the schema (an existing current one is left as it is)."""
    _upgrade(db)


@db_app.command("upgrade")
@handles_errors
def db_upgrade(db: DbOpt = None) -> None:
    """升级数据库结构 — upgrade the schema to this version of ecopark (back up first)."""
    _upgrade(db)


def _upgrade(db: str | None) -> None:
    from ecopark.store.migrate import upgrade

    store = _store(db)
    try:
        before, after = upgrade(store)
    finally:
        store.dispose()
    state = "已是最新 up to date" if before == after else f"{before or '(空 empty)'} → {after}"
    typer.echo(f"{store.display_url}: {state}")


FormatOpt = Annotated[str | None, typer.Option(
    "--format", help="sqlite（SQLite 默认）或 json（PostgreSQL 默认，可移植 portable）")]


@db_app.command("backup")
@handles_errors
def db_backup(file: Annotated[Path, typer.Argument(help="备份文件 backup file")],
              db: DbOpt = None, fmt: FormatOpt = None) -> None:
    """备份 — a consistent copy (SQLite file) or a portable JSON dump of every table, with its
    checksum; warns when the audit log's hash chain is broken."""
    from ecopark.store.backup import backup

    if fmt not in (None, "sqlite", "json"):
        raise InvalidValue("--format", f"未知格式 unknown format {fmt!r}", "用 use sqlite or json")
    store = _open(db)
    try:
        written = backup(store, file, fmt)
    finally:
        store.dispose()
    if not written.chain.intact:
        typer.echo(f"警告 warning: {_broken(written.chain)}", err=True)
    typer.echo(f"已备份 backed up {store.display_url} → {file} ({written.fmt}, {written.checksum})")
    typer.echo(f"审计日志 audit log: {written.chain.checked} 条 entries, 链尾 head "
               f"{written.chain.head}")


@db_app.command("restore")
@handles_errors
def db_restore(file: Annotated[Path, typer.Argument(help="备份文件 backup file")],
               db: DbOpt = None) -> None:
    """恢复到空数据库 — restore a backup (either format) into an empty database, all or nothing:
    its checksum and audit hash chain are verified first."""
    from ecopark.store.backup import restore

    store = _store(db)
    try:
        restored = restore(store, file)
    finally:
        store.dispose()
    for warning in restored.warnings:
        typer.echo(f"警告 warning: {warning}", err=True)
    typer.echo(f"已恢复 restored {file} ({restored.fmt}) → {store.display_url}; 审计日志完整 "
               f"audit log intact: {restored.chain.checked} 条 entries")


@db_app.command("verify-audit")
@handles_errors
def db_verify_audit(db: DbOpt = None) -> None:
    """核查审计日志 — walk the audit log's hash chain; exit 1 at the first broken link."""
    from ecopark.store.audit import verify

    store = _open(db)
    try:
        with store.connect() as connection:
            check = verify(connection)
    finally:
        store.dispose()
    if not check.intact:
        typer.echo(_broken(check), err=True)
        raise typer.Exit(1)
    typer.echo(f"审计日志完整 the audit log is intact: 已核查 {check.checked} 条 entries checked; "
               f"链尾 head {check.head}")


def _broken(check: Any) -> str:
    return (f"审计日志哈希链在第 {check.broken_id} 条记录处断开 the audit log's hash chain is broken "
            f"at entry {check.broken_id}: {check.problem}（此前 {check.checked} 条完好 "
            f"{check.checked} entries before it are intact）")


# --------------------------------------------------------------------------- load, export


@app.command()
@handles_errors
def load(dataset: Annotated[Path, typer.Argument(help="数据文件或工作簿 dataset file (YAML) or "
                                                 "workbook (.xlsx)")],
         park: ParkOpt = None, db: DbOpt = None, framework: FrameworkOpt = None,
         replace: Annotated[bool, typer.Option(help="替换已存的同年数据 replace a stored "
                                               "park-year")] = False,
         reason: Annotated[str, typer.Option(help="数值不合理但确实无误时说明理由（记入修改历史）"
                                             " why implausible values are right (kept in "
                                             "their history)")] = "") -> None:
    """存入数据库 — store a park-year into the park's record (all or nothing; implausible
    values need --reason)."""
    from ecopark.cli.progress import steps
    from ecopark.store import repository, sources

    with steps(2) as step:
        step(f"读取 reading {dataset.name}")
        spec, fw = sources.read_dataset_spec(dataset, framework)
        step("存入数据库 storing")
        with open_session(db, create=True) as session:
            stored = repository.save_dataset(session, spec, fw, park=park,
                                             source_file=str(dataset), replace=replace,
                                             reason=reason)
            summary = f"{stored.park.name} {stored.year}: {len(stored.observations)} 个观测值 values"
    typer.echo(f"已存入 stored {summary}")


@app.command()
@handles_errors
def export(park: Annotated[str, typer.Option("--park", help="园区名称 park name")],
           year: Annotated[int | None, typer.Option("--year", "-y", help="年份 year (default: "
                                                    "the latest)")] = None,
           output: Annotated[Path, typer.Option("--output", "-o", help="输出文件 output file "
                                                "('-' for standard output)")] = Path("-"),
           db: DbOpt = None) -> None:
    """导出数据集 — a stored park-year as the dataset file it was loaded from."""
    from ecopark.store import repository

    with open_session(db) as session:
        park_year = repository.get_park_year(session, repository.park_by_name(session, park),
                                             year)
        text = dataset_text(repository.read_spec(park_year))
    if str(output) == "-":
        sys.stdout.write(text)
    else:
        with writing(output):
            output.write_text(text, encoding="utf-8")
        typer.echo(f"已导出 wrote {output}", err=True)


def dataset_text(spec: Any) -> str:
    """The YAML of a dataset, as `ecopark.io.yamlout` writes it."""
    from ecopark.io.yamlout import dataset_yaml

    return dataset_yaml(spec)


@app.command()
@handles_errors
def parks(db: DbOpt = None) -> None:
    """园区与年度 — the parks stored, with their years."""
    from ecopark.store import repository

    with open_session(db) as session:
        for park in repository.list_parks(session):
            years = ", ".join(str(y.year) for y in park.years) or "—"
            typer.echo(f"{park.id}\t{park.name}\t{years}")


# --------------------------------------------------------------------------- users, tokens


RoleOpt = Annotated[str, typer.Option("--role", help="admin | park_officer | enterprise | reviewer")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="从标准输入读密码 read the "
                                             "password from standard input")]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("密码 password", hide_input=True, confirmation_prompt=True))


def _hasher() -> Any:
    from ecopark.store.auth import hasher
    from ecopark.store.settings import Settings

    return hasher(Settings())


@users_app.command("add")
@handles_errors
def users_add(name: Annotated[str, typer.Argument(help="用户名 user name")], role: RoleOpt,
              park: ParkOpt = None,
              enterprise: Annotated[str | None, typer.Option(
                  "--enterprise", help="企业名称（在 --park 园区中，不存在则新建）enterprise "
                  "in --park (created if new)")] = None,
              password_stdin: PasswordStdin = False, db: DbOpt = None) -> None:
    """新增用户 — add a user with a role (park officers need --park; enterprises --enterprise)."""
    from ecopark.store import auth, repository

    if enterprise and not park:
        raise InvalidValue("--park", "企业用户须同时指定 --park an enterprise needs its --park")
    password = _password(password_stdin)
    with open_session(db, create=True) as session:
        park_row = repository.park_by_name(session, park) if park else None
        ent = _enterprise(session, park_row, enterprise) if enterprise and park_row else None
        user = auth.create_user(session, name, role, password, _hasher(),
                                park=park_row if role != "enterprise" else None, enterprise=ent)
        typer.echo(f"已新增用户 added {user.name} ({user.role})")


def _enterprise(session: Any, park: Any, name: str) -> Any:
    from ecopark.core.errors import NotFound
    from ecopark.store import submissions

    try:
        return submissions.enterprise_by_name(session, park, name)
    except NotFound:
        typer.echo(f"已新增企业 added enterprise {name}", err=True)
        return submissions.create_enterprise(session, park, name)


@users_app.command("passwd")
@handles_errors
def users_passwd(name: Annotated[str, typer.Argument(help="用户名 user name")],
                 password_stdin: PasswordStdin = False, db: DbOpt = None) -> None:
    """设置密码 — set a user's password (ends its sessions, revokes its tokens)."""
    from ecopark.store import auth

    password = _password(password_stdin)
    with open_session(db) as session:
        auth.set_password(session, auth.user_by_name(session, name), password, _hasher())
    typer.echo(f"已设置密码，会话与令牌已撤销 password set for {name}; its sessions and tokens "
               "are revoked")


@users_app.command("deactivate")
@handles_errors
def users_deactivate(name: Annotated[str, typer.Argument(help="用户名 user name")],
                     db: DbOpt = None) -> None:
    """停用用户 — deactivate a user (ends its sessions, revokes its tokens; not the last admin)."""
    _set_active(name, False, db)
    typer.echo(f"已停用 deactivated {name}")


@users_app.command("activate")
@handles_errors
def users_activate(name: Annotated[str, typer.Argument(help="用户名 user name")],
                   db: DbOpt = None) -> None:
    """启用用户 — activate a deactivated user again."""
    _set_active(name, True, db)
    typer.echo(f"已启用 activated {name}")


def _set_active(name: str, active: bool, db: str | None) -> None:
    from ecopark.store import auth

    with open_session(db) as session:
        auth.set_active(session, auth.user_by_name(session, name), active, None)


@users_app.command("list")
@handles_errors
def users_list(db: DbOpt = None) -> None:
    """用户列表 — the users, their roles and parks."""
    from sqlalchemy import select

    from ecopark.store import models as m

    with open_session(db) as session:
        for user in session.scalars(select(m.User).order_by(m.User.name)):
            state = "" if user.active else "\t(停用 inactive)"
            typer.echo(f"{user.name}\t{user.role}\t{user.park_id or '—'}\t"
                       f"{user.enterprise_id or '—'}{state}")


ScopeOpt = Annotated[str, typer.Option("--scope", help="read（只读 GET/HEAD）| write")]
DaysOpt = Annotated[int | None, typer.Option("--days", help="有效天数 days the token lasts "
                                             "(default: ECOPARK_TOKEN_DAYS, 90)")]


@tokens_app.command("create")
@handles_errors
def tokens_create(name: Annotated[str, typer.Argument(help="用户名 user name")],
                  label: Annotated[str, typer.Option(help="用途 what it is for")] = "",
                  scope: ScopeOpt = "write", days: DaysOpt = None, db: DbOpt = None) -> None:
    """新建 API 令牌 — a bearer token for NAME, printed once (only its hash is stored)."""
    from ecopark.store import auth
    from ecopark.store.settings import Settings

    with open_session(db) as session:
        row, token = auth.issue_token(session, auth.user_by_name(session, name), label, scope,
                                      days or Settings().token_days)
        typer.echo(f"令牌 token {row.id}，到期 expires {row.expires_at:%Y-%m-%d %H:%M} UTC",
                   err=True)
    typer.echo(token)


@tokens_app.command("list")
@handles_errors
def tokens_list(name: Annotated[str | None, typer.Argument(help="用户名 user name (default: "
                                                           "every user)")] = None,
                db: DbOpt = None) -> None:
    """令牌列表 — id, user, scope, state, created, expires and label (never the secret)."""
    from ecopark.store import auth

    with open_session(db) as session:
        user_id = auth.user_by_name(session, name).id if name else None
        for t in auth.list_tokens(session, user_id):
            expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "—"
            typer.echo(f"{t.id}\t{t.user}\t{t.scope}\t{t.state}\t{t.created_at:%Y-%m-%d}\t"
                       f"{expires}\t{t.label or '—'}")


@tokens_app.command("revoke")
@handles_errors
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="令牌编号 token id (see "
                                                          "`tokens list`)")],
                  db: DbOpt = None) -> None:
    """撤销令牌 — revoke a token by its id."""
    from ecopark.store import auth

    with open_session(db) as session:
        info = auth.revoke_token(session, token_id)
    typer.echo(f"已撤销 revoked token {info.id} ({info.user})")


# --------------------------------------------------------------------------- serve


@app.command()
@handles_errors
def serve(db: DbOpt = None,
          host: Annotated[str, typer.Option(help="监听地址 address to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="端口 port")] = 8000,
          workers: Annotated[int, typer.Option(min=1, max=64, envvar="ECOPARK_WORKERS",
                                               help="工作进程数 worker processes (more than 1: "
                                               "PostgreSQL and ECOPARK_SECRET_KEY needed)")] = 1,
          demo: Annotated[bool, typer.Option(help="演示：新建演示数据库并打印登录 create a demo "
                                             "database and print its logins")] = False,
          jobs: Annotated[str | None, typer.Option(
              help="后台任务在本进程运行 (in-process) 或由 ecopark worker 运行 (external) where "
                   "background jobs run; default: in-process on SQLite, external on "
                   "PostgreSQL")] = None) -> None:
    """启动服务 — the web pages at / and the JSON API under /api/v1 (OpenAPI docs at /docs)."""
    import uvicorn

    from ecopark.store.settings import Settings
    from ecopark.web.app import create_app
    from ecopark.web.observe import configure_logging

    settings = Settings()
    if workers > 1:
        _check_workers(db, workers)
    if jobs is not None:
        settings = settings.model_copy(update={"jobs": _jobs_mode(jobs)})
    store = _demo_store(db, settings) if demo else _open(db, timeouts=settings.timeouts())
    try:
        application = create_app(_demo_settings(settings) if demo else settings, store)
        typer.echo(f"网页 web pages:   http://{host}:{port}/      (中文 / English)")
        typer.echo(f"API 文档 API docs: http://{host}:{port}/docs  ({store.display_url})")
        # X-Forwarded-* are believed from ECOPARK_TRUSTED_PROXIES only (none by default)
        proxies = ",".join(str(p) for p in settings.proxies())
        common: dict[str, Any] = {
            "host": host, "port": port, "log_config": None, "access_log": False,
            "proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or None}
        configure_logging(settings.log_format)
        if workers == 1:
            uvicorn.run(application, **common)
            return
        # each worker process builds its own app from the environment (the same database, the
        # same secret); the demo database was made above, once
        del application
        _share_with_workers(store, demo)
        if jobs is not None:
            os.environ["ECOPARK_JOBS"] = _jobs_mode(jobs)  # the workers read their settings anew
        typer.echo(f"工作进程 worker processes: {workers}")
        uvicorn.run("ecopark.web.app:app_from_environment", factory=True, workers=workers, **common)
    finally:
        store.dispose()


def _check_workers(db: str | None, workers: int) -> None:
    """Several workers need a database they can share (PostgreSQL) and one secret, from the
    environment: refuse without them, before anything is made."""
    import os

    from ecopark.core.errors import SettingsError
    from ecopark.store.engine import resolve_url
    from ecopark.store.settings import DEFAULT_SECRET, MIN_SECRET_LENGTH

    if not resolve_url(db).startswith("postgresql"):
        raise SettingsError(
            "--workers",
            f"内置 SQLite 数据库只能由一个进程服务，不能用 {workers} 个 the embedded SQLite "
            f"database is served by one process (WAL), not {workers}",
            "去掉 --workers，或改用 PostgreSQL drop --workers, or use PostgreSQL "
            "(ECOPARK_DATABASE_URL=postgresql://…)")

    secret = os.environ.get("ECOPARK_SECRET_KEY", "")
    if secret in ("", DEFAULT_SECRET) or len(secret) < MIN_SECRET_LENGTH:
        raise SettingsError(
            "ECOPARK_SECRET_KEY",
            f"{workers} 个工作进程须共用同一个密钥，请在环境变量中设置 {workers} worker processes "
            "must share one secret key, set in the environment (at least "
            f"{MIN_SECRET_LENGTH} characters)",
            "export ECOPARK_SECRET_KEY=$(python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')")


def _share_with_workers(store: Any, demo: bool) -> None:
    """What the worker processes read at start: the database, demo mode, and the directory
    where their metrics meet (prometheus_client's multi-process mode)."""
    import os

    os.environ["ECOPARK_DATABASE_URL"] = store.url
    if demo:
        os.environ["ECOPARK_DEMO"] = "true"
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ecopark-metrics-")


def _jobs_mode(text: str) -> str:
    from ecopark.core.errors import InvalidValue

    if text not in ("in-process", "external"):
        raise InvalidValue("--jobs", f"无法识别 “{text}” not understood",
                           "请用 use in-process 或 or external")
    return text


@app.command()
@handles_errors
def worker(db: DbOpt = None,
           threads: Annotated[int | None, typer.Option(
               min=1, max=32, help="同时运行的任务数 jobs run at once (default: "
                                   "ECOPARK_JOB_THREADS, 2)")] = None) -> None:
    """运行后台任务 — run the background jobs (reports) that the web servers queue, until
    stopped (Ctrl-C: finish the running jobs, then stop)."""
    from ecopark.jobs import JobQueue
    from ecopark.store.settings import Settings

    settings = Settings()
    store = _open(db, timeouts=settings.timeouts())
    try:
        queue = JobQueue(store, settings)
        typer.echo(f"后台任务 background jobs: {store.display_url} "
                   f"({threads or settings.job_threads} 线程 threads)")
        queue.run_worker(threads or settings.job_threads)
    finally:
        store.dispose()


def _demo_settings(settings: Any) -> Any:
    import secrets

    from pydantic import SecretStr

    from ecopark.store.settings import DEFAULT_SECRET

    update: dict[str, Any] = {"demo": True}
    if settings.secret() == DEFAULT_SECRET:
        update["secret_key"] = SecretStr(secrets.token_urlsafe(48))
    return settings.model_copy(update=update)


def _demo_store(db: str | None, settings: Any) -> Any:
    from ecopark.store.demo import create_demo
    from ecopark.store.engine import Store, resolve_url

    url = resolve_url(db) if db else \
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='ecopark-demo-')) / 'demo.sqlite'}"
    store = Store(url, settings.timeouts())
    logins = create_demo(store, settings)
    typer.echo(f"演示数据库 demo database: {store.display_url}")
    typer.echo("演示账号 demo logins (角色 role, 用户名 user name, 密码 password):")
    for login in logins:
        typer.echo(f"  {login.role:<13} {login.name:<18} {login.password}")
    return store
