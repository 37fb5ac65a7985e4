"""The Teams app package: ``manifest/teams/manifest.json`` and the zip ``infoshare manifest
teams`` writes, checked against Microsoft's own JSON schema for the manifest version they name.

The schemas come from the npm package Microsoft publishes them in (``@microsoft/app-manifest``,
under ``build/json-schemas/teams/``), fetched once with ``npm pack`` into ``.cache/``.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from adapters import cli
from adapters.teams.manifest import PLACEHOLDER_ID, SOURCE
from tests.conftest import ROOT

NPM_PACKAGE = "@microsoft/app-manifest@1.1.2"  # pinned: the schemas it ships don't change
CACHE = ROOT / ".cache" / "npm"
APP_ID = "6f1c2a9e-0b7d-4e51-9a3c-2d8e4f6a1b07"


@pytest.fixture(scope="session")
def teams_schemas() -> Path:
    """The folder of Teams manifest schemas, one subfolder per version (``v1.30``, ...)."""
    unpacked = CACHE / NPM_PACKAGE.replace("/", "+")
    schemas = unpacked / "package" / "build" / "json-schemas" / "teams"
    if schemas.is_dir():
        return schemas
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(
            f"npm is not installed on this machine, so {NPM_PACKAGE} (Microsoft's Teams "
            "manifest schemas) can't be fetched: the manifest was not validated"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as work:
        done = subprocess.run(
            [npm, "pack", NPM_PACKAGE, "--pack-destination", work, "--silent"],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"npm pack {NPM_PACKAGE} failed, so the manifest was not validated: "
                        f"{done.stderr.strip()[-300:]}")  # fmt: skip
        tarball = Path(work) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            archive.extractall(Path(work) / "x", filter="data")
        shutil.rmtree(unpacked, ignore_errors=True)
        (Path(work) / "x").rename(unpacked)  # whole or not at all, for the next run
    return schemas


def _validate(manifest: dict[str, Any], schemas: Path) -> None:
    schema_file = schemas / f"v{manifest['manifestVersion']}" / "MicrosoftTeams.schema.json"
    schema = json.loads(schema_file.read_text())
    assert manifest["$schema"].endswith(
        f"/v{manifest['manifestVersion']}/MicrosoftTeams.schema.json"
    )
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(manifest)]
    assert errors == []


def test_the_manifest_template_is_valid_and_the_newest_version_shipped(teams_schemas: Path) -> None:
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    _validate(manifest, teams_schemas)
    numbered = [p.name for p in teams_schemas.iterdir() if p.name.startswith("v1.")]
    newest = max(numbered, key=lambda name: int(name.split(".")[1]))
    assert f"v{manifest['manifestVersion']}" == newest


def test_the_package_has_the_app_id_both_icons_and_a_valid_manifest(
    teams_schemas: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "app.zip"
    argv = ["manifest", "teams", "--app-id", APP_ID, "--out", str(out),
            "--url", "https://infoshare.council.example/"]  # fmt: skip
    assert cli.main(argv) == 0
    assert str(out) in capsys.readouterr().out

    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
    _validate(manifest, teams_schemas)
    assert PLACEHOLDER_ID not in json.dumps(manifest)
    [bot] = manifest["bots"]
    assert manifest["id"] == bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert {s for c in bot["commandLists"] for s in c["scopes"]} == {
        "personal",
        "team",
        "groupChat",
    }
    assert manifest["validDomains"] == ["infoshare.council.example"]
    assert manifest["developer"]["privacyUrl"] == "https://infoshare.council.example/privacy"
    assert _size(color) == (192, 192) and _size(outline) == (32, 32)


def test_the_outline_icon_is_white_on_transparent() -> None:
    pixels = _rgba((SOURCE / "outline.png").read_bytes())
    drawn = [p for p in pixels if p[3] > 0]
    assert drawn and all(p[:3] == (255, 255, 255) for p in drawn)
    assert pixels[0][3] == 0  # the corner shows through


@pytest.mark.parametrize(
    ("app_id", "url"),
    [("not-a-guid", None), (PLACEHOLDER_ID, None), (APP_ID, "http://infoshare.example.org")],
)
def test_a_bad_app_id_or_address_is_refused(
    app_id: str, url: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["manifest", "teams", "--app-id", app_id, "--out", str(tmp_path / "app.zip")]
    assert cli.main(argv + (["--url", url] if url else [])) == 2
    assert "infoshare:" in capsys.readouterr().err
    assert not (tmp_path / "app.zip").exists()


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _rgba(png: bytes) -> list[tuple[int, int, int, int]]:
    """The pixels of an 8-bit RGBA PNG (any row filter)."""
    width, _ = _size(png)
    assert png[24:26] == b"\x08\x06", "8-bit RGBA"
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        data += png[at + 8 : at + 8 + length] if kind == b"IDAT" else b""
        at += 12 + length
    raw, stride, rows, previous = zlib.decompress(data), width * 4, [], bytes(width * 4)
    for start in range(0, len(raw), stride + 1):
        kind, line, row = raw[start], raw[start + 1 : start + 1 + stride], bytearray()
        for i, value in enumerate(line):
            left = row[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            guess = left + up - corner
            paeth = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                        (abs(guess - corner), 2, corner))[2]  # fmt: skip
            add = (0, left, up, (left + up) // 2, paeth)[kind]
            row.append((value + add) % 256)
        rows.append(bytes(row))
        previous = bytes(row)
    flat = b"".join(rows)
    return [tuple(flat[i : i + 4]) for i in range(0, len(flat), 4)]  # type: ignore[misc]
