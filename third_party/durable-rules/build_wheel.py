"""Build durable_rules into a wheel for the running Python, with tlc's patch applied when the release needs it.

    python third_party/durable-rules/build_wheel.py --wheel-dir .venv/wheelhouse   # prints the wheel's path

``make`` runs this on every Python, then installs the wheel it prints; see README.md beside this file
for why. The steps:

1. Take the newest release that setup.cfg's durable-rules requirement allows, as a source distribution
   (``pip download``, so it follows the user's pip configuration; ``--sdist FILE`` uses one at hand).
2. Decide: while the source still holds a line the patch removes, the patch is needed; it must then
   apply cleanly, and the wheel's version gets the local label ``+tlc.<patch digest>`` so ``pip list``
   shows which build is installed. A release that holds none of those lines is fixed upstream: it is
   built as it is, and the script says the patch can go.
3. ``pip wheel --no-deps --no-build-isolation`` (the running Python's setuptools) into ``--wheel-dir``,
   where the source distribution is kept too. A wheel already there for the same release, patch and
   interpreter is reused.

Only the standard library and pip are used; applying the patch takes ``patch`` (or ``git apply``).
"""
from __future__ import annotations

import argparse
import configparser
import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATCH = HERE / "pyobject-callobject.patch"
SETUP_CFG = HERE.parent.parent / "setup.cfg"
DEFAULT_REQUIREMENT = "durable-rules >= 2.0.28, < 2.1"


class BuildError(Exception):
    pass


def requirement(setup_cfg: Path = SETUP_CFG) -> str:
    """The durable-rules requirement as setup.cfg states it (the one place it is written)."""
    if not setup_cfg.is_file():
        return DEFAULT_REQUIREMENT
    parser = configparser.ConfigParser()
    parser.read(setup_cfg, encoding="utf-8")
    for line in parser.get("options", "install_requires", fallback="").splitlines():
        if re.match(r"\s*durable[-_]rules\b", line, re.IGNORECASE):
            return line.strip()
    raise BuildError(f"{setup_cfg} does not require durable-rules")


def patch_digest(patch: Path = PATCH) -> str:
    return hashlib.sha256(patch.read_bytes()).hexdigest()[:10]


def removed_lines(patch: Path = PATCH) -> dict[str, list[str]]:
    """Per file the patch changes (relative to the source root), the lines it removes."""
    removed: dict[str, list[str]] = {}
    current = None
    for line in patch.read_text(encoding="utf-8").splitlines():
        if line.startswith("+++ "):
            current = line[4:].split("\t")[0].strip().split("/", 1)[1]
            removed.setdefault(current, [])
        elif line.startswith("-") and not line.startswith("---") and current is not None:
            removed[current].append(line[1:])
    return removed


def patch_needed(source: Path, patch: Path = PATCH) -> bool:
    """True while the source still holds a line the patch removes (the calls Python 3.13 lacks)."""
    for name, lines in removed_lines(patch).items():
        target = source / name
        if not target.is_file():
            continue
        present = set(target.read_text(encoding="utf-8", errors="replace").splitlines())
        if any(line in present for line in lines if line.strip()):
            return True
    return False


def apply_patch(source: Path, patch: Path = PATCH) -> None:
    if shutil.which("patch"):
        commands = [["patch", "-p1", "--forward", "--batch", "--silent", "-i", str(patch)]]
        check = [["patch", "-p1", "--forward", "--batch", "--silent", "--dry-run", "-i", str(patch)]]
    elif shutil.which("git"):
        commands = [["git", "apply", "-p1", str(patch)]]
        check = [["git", "apply", "--check", "-p1", str(patch)]]
    else:
        raise BuildError("applying the patch needs `patch` or `git` (apt-get install patch)")
    for cmd in check + commands:
        done = subprocess.run(cmd, cwd=source, capture_output=True, text=True)
        if done.returncode != 0:
            raise BuildError(f"{patch.name} does not apply to {source.name}; update the patch "
                             f"(see third_party/durable-rules/README.md):\n{done.stdout}{done.stderr}")


def mark_version(source: Path, version: str, label: str) -> str:
    """Give the patched build the local version ``VERSION+LABEL`` (still satisfies ``== VERSION``)."""
    setup_py = source / "setup.py"
    text = setup_py.read_text(encoding="utf-8")
    pattern = re.compile(r"""(version\s*=\s*)(['"])""" + re.escape(version) + r"""\2""")
    marked = f"{version}+{label}"
    new, count = pattern.subn(lambda m: f"{m.group(1)}{m.group(2)}{marked}{m.group(2)}", text)
    if count != 1:
        raise BuildError(f"cannot find version = '{version}' once in {setup_py}")
    setup_py.write_text(new, encoding="utf-8")
    return marked


def download_sdist(spec: str, into: Path) -> Path:
    """The newest source distribution pip finds for SPEC, saved in INTO."""
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
               "--dest", tmp, spec]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise BuildError(f"pip could not download a source distribution of {spec!r}:\n{done.stderr}")
        found = sorted(Path(tmp).glob("durable[-_]rules-*.tar.gz"))
        if len(found) != 1:
            raise BuildError(f"expected one durable_rules source distribution, pip saved {[p.name for p in found]}")
        target = into / found[0].name
        shutil.copyfile(found[0], target)
    return target


def sdist_version(sdist: Path) -> str:
    match = re.fullmatch(r"durable[-_]rules-(.+)\.tar\.gz", sdist.name)
    if not match:
        raise BuildError(f"not a durable_rules source distribution: {sdist.name}")
    return match.group(1)


def unpack(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
        roots = {Path(m.name).parts[0] for m in members}
        if len(roots) != 1 or any(m.name.startswith("/") or ".." in Path(m.name).parts for m in members):
            raise BuildError(f"unexpected layout in {sdist.name}")
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter="data")
        else:  # Python < 3.10.12 has no extraction filters; the members were checked above
            archive.extractall(into)
    return into / roots.pop()


def interpreter_tag() -> str:
    return f"cp{sys.version_info.major}{sys.version_info.minor}"


def existing_wheel(wheel_dir: Path, version: str) -> Path | None:
    found = sorted(wheel_dir.glob(f"durable_rules-{version}-{interpreter_tag()}-*.whl"))
    return found[-1] if found else None


def build(sdist: Path, wheel_dir: Path, patch: Path = PATCH, say=print) -> Path:
    """Build SDIST into a wheel in WHEEL_DIR, patched when it needs the patch; return the wheel's path."""
    version = sdist_version(sdist)
    wheel_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = unpack(sdist, Path(tmp))
        if patch_needed(source, patch):
            apply_patch(source, patch)
            if patch_needed(source, patch):
                raise BuildError(f"{patch.name} applied but {sdist.name} still holds the lines it removes")
            built_version = mark_version(source, version, f"tlc.{patch_digest(patch)}")
            say(f"durable-rules {version}: applied {patch.name}")
        else:
            built_version = version
            say(f"durable-rules {version} already has the change {patch.name} makes: building the release as "
                f"it is. The patch can be dropped (third_party/durable-rules/README.md says how).")
        reused = existing_wheel(wheel_dir, built_version)
        if reused is not None:
            say(f"reusing {reused.name}")
            return reused
        cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
               "--wheel-dir", str(wheel_dir), str(source)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise BuildError(f"building durable-rules {built_version} failed (a C compiler and the Python "
                             f"headers are needed: apt-get install gcc python3-dev):\n{done.stdout}{done.stderr}")
    wheel = existing_wheel(wheel_dir, built_version)
    if wheel is None:
        raise BuildError(f"pip wheel succeeded but no durable_rules-{built_version} wheel is in {wheel_dir}")
    say(f"built {wheel.name}")
    return wheel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-w", "--wheel-dir", type=Path, required=True, help="where the wheel (and sdist) go")
    parser.add_argument("--sdist", type=Path, default=None, help="build this source distribution; no download")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(f"build_wheel: {message}", file=sys.stderr)

    try:
        sdist = args.sdist if args.sdist is not None else download_sdist(requirement(), args.wheel_dir)
        wheel = build(sdist, args.wheel_dir, say=say)
    except BuildError as exc:
        say(f"error: {exc}")
        return 1
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
