"""Settings of the store and the server, declared once (pydantic-settings, `ECOPARK_` prefix):
each field is read from the environment variable `ECOPARK_<NAME>` (e.g. ECOPARK_SECRET_KEY),
used by the CLI and the server, and listed in docs/store-and-api.md.

Unsafe defaults are refused outside demo mode: `check_for_server()` raises SettingsError when
the secret key is the default (or too short), or a trusted proxy is not an address.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ecopark.core.errors import SettingsError
from ecopark.store.timeouts import Timeouts

__all__ = ["DEFAULT_SECRET", "MIN_SECRET_LENGTH", "IPNetwork", "Settings"]

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_SECRET = "change-me"  # the placeholder that is refused outside demo mode
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Everything an ecopark server or CLI run can be told from its environment."""

    model_config = SettingsConfigDict(env_prefix="ECOPARK_", extra="ignore")

    database_url: str | None = Field(None, description="数据库地址 database URL (default: an "
                                     "SQLite file in the user data directory)")
    secret_key: SecretStr = Field(SecretStr(DEFAULT_SECRET), description="签名密钥 secret for "
                                  f"CSRF tokens; at least {MIN_SECRET_LENGTH} characters")
    demo: bool = Field(False, description="演示模式 demo mode (allows the default secret)")
    max_body_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="请求体上限 largest "
                                "request body accepted, in bytes")
    session_hours: int = Field(12, ge=1, le=24 * 30, description="会话有效期 hours a browser "
                               "session lasts")
    login_max_failures: int = Field(5, ge=1, description="每账户登录失败上限 failed logins "
                                    "allowed per account (from any address) within the window")
    login_max_per_address: int = Field(20, ge=1, description="每地址登录失败上限 failed logins "
                                       "allowed per address (any user names) within the window")
    login_max_global: int = Field(1000, ge=1, description="全站登录失败上限 failed logins "
                                  "allowed in all within the window")
    login_window_seconds: int = Field(900, ge=1, description="登录失败计数窗口 window of the "
                                      "login limits, in seconds")
    token_days: int = Field(90, ge=1, le=3650, description="API 令牌默认有效期 days a new API "
                            "token lasts unless told otherwise")
    trusted_proxies: str = Field("", description="可信代理 addresses or networks (comma-"
                                 "separated) whose X-Forwarded-For is believed; empty: none")
    secure_cookies: bool | None = Field(None, description="仅经 HTTPS 发送 Cookie; None: when "
                                        "the request came over https")
    db_wait_seconds: float = Field(5.0, gt=0, le=300, description="数据库等待上限 seconds a "
                                   "request waits for a connection or another writer's lock "
                                   "before it is answered 503 (busy, retry later)")
    statement_timeout_seconds: float = Field(30.0, gt=0, le=3600, description="语句超时 seconds "
                                             "one database statement may run")
    read_slots: int = Field(16, ge=1, le=256, description="并发读取数 requests that read at once "
                            "(the others wait their turn without holding a thread)")
    argon2_time_cost: int = Field(3, ge=1, description="argon2 time cost (iterations)")
    argon2_memory_kib: int = Field(65536, ge=8, description="argon2 memory cost, KiB")
    upload_memory_mb: int = Field(1024, ge=256, description="上传文件解析内存上限 address space "
                                  "of the child process that parses an upload, in MB")
    log_format: Literal["text", "json"] = Field("text", description="日志格式 log format: "
                                               "readable text, or JSON lines (one object a line)")
    trust_request_id: bool = Field(False, description="采用请求的 X-Request-ID take the "
                                   "request id from the client's X-Request-ID (set when a proxy "
                                   "in front sets it); otherwise each request gets a new one")
    metrics_allow: str = Field("127.0.0.1,::1", description="可读取 /metrics 的地址 addresses "
                               "or networks (comma-separated) that may read /metrics")
    metrics_token: SecretStr = Field(SecretStr(""), description="/metrics 令牌 a token that "
                                     "opens /metrics from anywhere (Authorization: Bearer …); "
                                     "empty: none")
    upload_cpu_seconds: int = Field(60, ge=1, description="上传文件解析 CPU 时间上限 CPU time "
                                    "of the child process that parses an upload, in seconds")

    jobs: Literal["in-process", "external"] | None = Field(None, description="后台任务运行方式 "
                                                           "where background jobs run: in-process "
                                                           "(threads of the server) or external "
                                                           "(`ecopark worker`); default: in-process "
                                                           "on SQLite, external on PostgreSQL")
    job_threads: int = Field(2, ge=1, le=32, description="后台任务线程数 jobs run at once by one "
                             "server (in-process) or one worker")
    job_retries: int = Field(2, ge=0, le=10, description="后台任务重试次数 times a job is retried "
                             "after an unexpected error (an error in the data fails at once)")
    job_keep_days: int = Field(7, ge=1, le=365, description="后台任务结果保留天数 days a finished "
                               "job and its file are kept")
    job_result_max_mb: int = Field(64, ge=1, le=1024, description="后台任务结果上限 largest "
                                   "result file a job may store, in MB")

    smtp_host: str = Field("", description="邮件服务器 SMTP server that sends notifications by "
                           "e-mail; empty: no e-mail (the default)")
    smtp_port: int = Field(25, ge=1, le=65535, description="邮件服务器端口 SMTP port")
    smtp_user: str = Field("", description="邮件账户 SMTP user name (empty: no login)")
    smtp_password: SecretStr = Field(SecretStr(""), description="邮件账户密码 SMTP password")
    smtp_from: str = Field("ecopark@localhost", description="发件人 the sender's address")
    smtp_starttls: bool = Field(False, description="使用 STARTTLS 加密 switch the SMTP "
                                "connection to TLS before logging in")
    public_url: str = Field("", description="平台网址 the address users open the platform at "
                            "(e.g. https://ecopark.example.cn), for links in e-mails")

    def proxies(self) -> list[IPNetwork]:
        """The trusted proxies as networks; SettingsError names an entry that is not one."""
        return _networks("ECOPARK_TRUSTED_PROXIES", self.trusted_proxies, "10.0.0.5,10.1.0.0/16")

    def metrics_networks(self) -> list[IPNetwork]:
        """The addresses allowed to read /metrics; SettingsError names an entry that is not one."""
        return _networks("ECOPARK_METRICS_ALLOW", self.metrics_allow, "127.0.0.1,10.0.0.0/8")

    def timeouts(self) -> Timeouts:
        return Timeouts(wait=self.db_wait_seconds, statement=self.statement_timeout_seconds)

    def secret(self) -> str:
        return self.secret_key.get_secret_value()

    def check_for_server(self) -> None:
        """Refuse to serve with the default or a short secret, unless in demo mode."""
        self.proxies()
        self.metrics_networks()
        if self.demo:
            return
        secret = self.secret()
        if secret == DEFAULT_SECRET or len(secret) < MIN_SECRET_LENGTH:
            raise SettingsError(
                "ECOPARK_SECRET_KEY",
                "未设置或过短（非演示模式下不能使用默认密钥）the secret key is the default or "
                f"shorter than {MIN_SECRET_LENGTH} characters; refused outside demo mode",
                "export ECOPARK_SECRET_KEY=$(python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')，或用 --demo 试用 or try --demo")


def _networks(setting: str, text: str, example: str) -> list[IPNetwork]:
    """A comma-separated list of addresses or networks; SettingsError names the setting."""
    try:
        return [ipaddress.ip_network(p.strip(), strict=False) for p in text.split(",") if p.strip()]
    except ValueError as exc:
        raise SettingsError(setting, f"不是地址或网段 not an address or network: {exc}",
                            f"例如 e.g. {example}") from None
