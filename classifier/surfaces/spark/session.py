"""The Spark session a `tlc audit --engine spark` run works in.

A session already running in this process (a notebook, a test, a program under spark-submit that built
one) is used as it is and left running. Otherwise one is started: for the ``--master`` given, else the
one spark-submit configured, else ``local[N]`` on this machine; it is stopped when the run ends. What
the session needs but cannot find (pyspark, a Java runtime) is one clear error, not a JVM traceback.
"""
from __future__ import annotations

import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from classifier.errors import Unavailable
from classifier.surfaces.extras import require



def require_pyspark() -> None:
    """pyspark (with the pyarrow its [sql] extra brings) is importable, or a MissingExtraError naming the extra."""
    require("spark", "--engine spark and classifier.spark", "pyspark", "pandas", "pyarrow")


def java_found() -> bool:
    """A Java runtime Spark can start: JAVA_HOME's, or ``java`` on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def under_spark_submit() -> bool:
    """This process was started by spark-submit, which says the master (and everything else)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ or "SPARK_SUBMIT_OPTS" in os.environ


def default_master(master: str | None, workers: int | None) -> str | None:
    """The master to ask for: as given; none under spark-submit (it has said); else ``local[workers]``,
    or every core of this machine."""
    if master:
        return master
    if under_spark_submit():
        return None
    return f"local[{workers}]" if workers else "local[*]"


@contextmanager
def spark_session(master: str | None, app_name: str = "tlc audit") -> Iterator:
    """The session to run in (see the module docstring); stopped at the end only if started here."""
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    if not under_spark_submit() and not java_found():
        raise Unavailable("--engine spark needs a Java runtime (17 or newer): install one (Debian: "
                          "apt-get install default-jre-headless) or set JAVA_HOME", code="java_not_found")
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            # Local executors run this interpreter (with tlc installed), not whatever python3 is on the PATH,
            # and the web UI stays off (several runs on one machine would fight over its port).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            logging = Path(__file__).with_name("log4j2.properties")
            # In local mode the executors share the driver's heap: 2 GB rather than Spark's 1 GB default.
            builder = (builder.config("spark.ui.enabled", "false").config("spark.driver.memory", "2g")
                       .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={logging.as_uri()}"))
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    session = builder.getOrCreate()
    try:
        yield session
    finally:
        session.stop()
