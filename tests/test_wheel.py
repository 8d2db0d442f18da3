"""The built wheel carries the top-level profiles/ and workflows/ folders, and
GenericSetup finds thidua's profiles inside the installed package."""

from pathlib import Path

import textwrap
import zipfile


REPO = Path(__file__).resolve().parents[1]


def shipped(folder):
    """Files of a top-level folder, as their wheel paths."""
    return {
        f"thidua/{folder}/{path.relative_to(REPO / folder)}"
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def build_wheel(run_python, tmp_path):
    result = run_python(
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(tmp_path),
        str(REPO),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [wheel] = tmp_path.glob("thidua-*.whl")
    return wheel


def test_wheel_contains_profiles_and_workflows(tmp_path, run_python):
    wheel = build_wheel(run_python, tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert shipped("profiles") <= names
    assert shipped("workflows") <= names
    assert {
        "thidua/profiles/default/metadata.xml",
        "thidua/profiles/uninstall/browserlayer.xml",
        "thidua/profiles/demo/metadata.xml",
        "thidua/configure.zcml",
        "thidua/chains/configure.zcml",
        "thidua/services/honour_board/configure.zcml",
        "thidua/deploy/templates/zope.conf",
        "thidua/locales/vi/LC_MESSAGES/thidua.po",
        "thidua/controlpanel/chains.pt",
        "thidua/openapi/thidua.openapi.yaml",
        "thidua/accessibility/static/thidua.css",
        "thidua/locales/vi/LC_MESSAGES/z3c.form.po",
    } <= names

    # Unpacked, the wheel's thidua comes first on sys.path; GenericSetup's
    # own directive, as thidua's configure.zcml uses it, reads the profiles
    # from the unpacked package.
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = textwrap.dedent(
        """
        from Products.GenericSetup.metadata import ProfileMetadata
        from Products.GenericSetup.registry import _profile_registry
        from zope.configuration import xmlconfig
        import Products.GenericSetup
        import thidua

        print(thidua.__file__)
        context = xmlconfig.file("meta.zcml", Products.GenericSetup)
        xmlconfig.string('''
          <configure xmlns:genericsetup="http://namespaces.zope.org/genericsetup"
                     package="thidua">
            <genericsetup:registerProfile name="default" directory="profiles/default"
                title="thidua" />
          </configure>''', context)
        info = _profile_registry.getProfileInfo("thidua:default")
        print(ProfileMetadata(info["path"], product="thidua")()["version"])
        """
    )
    result = run_python("-c", f"import sys; sys.path.insert(0, {str(unpacked)!r})\n{script}")
    assert result.returncode == 0, result.stderr[-3000:]
    module, version = result.stdout.split()
    assert module == str(unpacked / "thidua" / "__init__.py")
    metadata = Path(__file__).parent.parent / "profiles" / "default" / "metadata.xml"
    assert f"<version>{version}</version>" in metadata.read_text()
