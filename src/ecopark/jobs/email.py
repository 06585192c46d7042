"""E-mail of notifications: each message is a background job of kind `email` (the message's
bytes are the job's input), sent through the configured SMTP server (`ECOPARK_SMTP_*`) with
the standard library; a refused or lost connection is retried as every job is (huey), an
address the server rejects fails the job at once.

`enable(queue)` makes the notifications written through the queue's database e-mailed (when
`ECOPARK_SMTP_HOST` is set; off by default): Chinese first, then English.
"""

from __future__ import annotations

import smtplib
import weakref
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid

from ecopark.core.errors import InvalidValue
from ecopark.jobs.kinds import Result, Work, kind
from ecopark.jobs.queue import JobQueue
from ecopark.store.engine import Store
from ecopark.store.notifications import Mail, send_with
from ecopark.store.settings import Settings

__all__ = ["enable", "message", "send"]

_SETTINGS: weakref.WeakKeyDictionary[Store, Settings] = weakref.WeakKeyDictionary()


def message(mail: Mail, settings: Settings) -> EmailMessage:
    """The e-mail of one notification: the Chinese text as the subject; the body Chinese
    first, then English, then the page's address when the platform's address is known."""
    out = EmailMessage()
    out["From"], out["To"] = settings.smtp_from, mail.to
    out["Subject"] = f"【生态工业园区评价平台】{mail.text_zh}"[:200]
    out["Date"], out["Message-ID"] = formatdate(localtime=False), make_msgid("ecopark")
    lines = [f"{mail.user_name}，您好：", "", mail.text_zh, "", mail.text_en]
    if mail.link and settings.public_url:
        lines += ["", f"查看 View: {settings.public_url.rstrip('/')}{mail.link}"]
    lines += ["", "—— 生态工业园区评价平台 Eco-industrial park evaluation platform"]
    out.set_content("\n".join(lines))
    return out


def enable(queue: JobQueue) -> None:
    """E-mail the notifications of `queue`'s database, one job a message (if SMTP is set)."""
    settings = queue.settings
    if not settings.smtp_host:
        send_with(queue.store.engine, None)
        return
    _SETTINGS[queue.store] = settings

    def sender(mails: list[Mail]) -> None:
        for mail in mails:
            queue.start("email", None, None, "zh", 0, mail.user_name,
                        input=message(mail, settings).as_bytes(), input_name=mail.to)

    send_with(queue.store.engine, sender)


@kind("email", steps=1)
def send(work: Work) -> Result:
    """Send the job's message through the SMTP server."""
    settings = _SETTINGS.get(work.store) or Settings()
    if not work.input or not settings.smtp_host:
        raise InvalidValue("ECOPARK_SMTP_HOST", "未设置邮件服务器 no SMTP server is set",
                           "设置 ECOPARK_SMTP_HOST 后重试 set it and retry")
    work.step(0, "发送邮件")
    mail = BytesParser(policy=SMTP_POLICY).parsebytes(work.input)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        try:
            smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused:
            raise InvalidValue("email", f"邮件服务器拒收地址 the server refused the address "
                               f"{work.input_name}", "检查用户的邮箱 check the user's e-mail") from None
    return work.input, "message.eml"
