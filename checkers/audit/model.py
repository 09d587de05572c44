"""What the audit reads (`AuditedPackage`: a package's name, features and scope) and says (`Signal`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from extractor.audit.features import PackageFeatures


class AuditedPackage(BaseModel):
    name: str  # the package's folder name, or its zip name without .zip
    features: PackageFeatures
    city: str | None = None

    @property
    def company_key(self) -> str:
        """Who the package is of: its credit code, else its company name, else itself."""
        f = self.features
        return f.credit_code or (f"name:{f.company}" if f.company else f"package:{self.name}")

    @property
    def label(self) -> str:
        return self.features.company or self.name


class Signal(BaseModel):
    rule: str
    severity: str
    message: str  # Chinese
    packages: list[str]
    evidence: dict[str, Any] = Field(default_factory=dict)
    locations: list[dict[str, Any]] = Field(default_factory=list)  # each with "package" and the place in it


def place(package: AuditedPackage, loc: Any, **extra: Any) -> dict[str, Any]:
    """A location in one package, as the audit report gives it."""
    out: dict[str, Any] = {"package": package.name}
    if loc is not None:
        data = loc.model_dump(exclude_none=True) if hasattr(loc, "model_dump") else dict(loc)
        out.update({k: v for k, v in data.items() if v is not None})
    out.update({k: v for k, v in extra.items() if v is not None})
    return out
