"""Who may do what: the four roles as plain predicates over a `Principal`.

    admin         reads everything; writes everything
    park_officer  reads its own park (years, enterprises, submissions, audit); writes its own
                  park's data, accepts or rejects its enterprises' submissions
    enterprise    reads its own enterprise and submissions; edits and submits those only
    reviewer      reads every park; writes nothing but verification uploads (a park-year's
                  printed table)

A resource the principal may not read is reported as not found (its existence is not revealed);
one it may read but not change gives PermissionDenied.
"""

from __future__ import annotations

import dataclasses

from ecopark.core.errors import NotFound, PermissionDenied

__all__ = ["Principal", "can_decide", "can_read_enterprise", "can_read_park", "can_submit",
           "can_upload_reported", "can_write_park", "deny", "hide", "require_admin"]


@dataclasses.dataclass(frozen=True)
class Principal:
    """The signed-in user as the permission checks see them."""

    user_id: int
    name: str
    role: str
    park_id: int | None = None
    enterprise_id: int | None = None

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def can_read_park(who: Principal, park_id: int) -> bool:
    return who.role in ("admin", "reviewer") or (who.role == "park_officer"
                                                 and who.park_id == park_id)


def can_write_park(who: Principal, park_id: int) -> bool:
    return who.admin or (who.role == "park_officer" and who.park_id == park_id)


def can_upload_reported(who: Principal, park_id: int) -> bool:
    return who.role == "reviewer" or can_write_park(who, park_id)


def can_read_enterprise(who: Principal, park_id: int, enterprise_id: int) -> bool:
    if who.role == "enterprise":
        return who.enterprise_id == enterprise_id
    return can_read_park(who, park_id)


def can_submit(who: Principal, enterprise_id: int) -> bool:
    """Edit a draft and submit it: the enterprise itself (or an admin)."""
    return who.admin or (who.role == "enterprise" and who.enterprise_id == enterprise_id)


def can_decide(who: Principal, park_id: int) -> bool:
    """Accept or reject a submission: the park's officers (or an admin)."""
    return can_write_park(who, park_id)


def can_read_own(who: Principal, owner: str) -> bool:
    """What belongs to one person and no park (a batch job): that person (or an admin)."""
    return who.admin or who.name == owner


def hide(kind: str, key: object) -> NotFound:
    return NotFound(kind, str(key))


def deny(who: Principal, action: str, resource: str) -> PermissionDenied:
    return PermissionDenied(who.role, action, resource)


def require_admin(who: Principal, action: str) -> None:
    if not who.admin:
        raise deny(who, action, "仅管理员 admin only")
