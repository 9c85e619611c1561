"""The nightly batch's engine settings (`CRM_BATCH_ENGINE`, `CRM_DASK_*`), a part of the one
`Settings` class kept in a module of its own: where the whole-base scoring and the analyses run."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

BatchEngine = Literal["local", "dask"]


class BatchSettings(BaseModel):
    """Mixed into `core.settings.Settings`; every field is read from `CRM_<NAME>`."""

    batch_engine: BatchEngine = Field(
        default="local",
        description="local: this process and its pool (nothing to install or run); dask: a "
        "dask.distributed cluster (CRM_DASK_SCHEDULER, else a LocalCluster on this machine)",
    )
    dask_scheduler: str | None = Field(
        default=None,
        pattern=r"^(tcp|tls|inproc|ucx)://\S+$",
        description="Address of a running dask scheduler, e.g. tcp://10.0.0.5:8786; none: a "
        "LocalCluster of CRM_DASK_WORKERS processes is started for the run",
    )
    dask_connect_seconds: float = Field(
        default=20, gt=0, le=600, description="How long to wait for the dask scheduler"
    )
    dask_workers: int = Field(
        default=2, ge=1, le=256, description="Worker processes of the LocalCluster"
    )
    dask_partition_rows: int = Field(
        default=100_000,
        ge=1_000,
        le=10_000_000,
        description="Customers per scoring task on the cluster",
    )
