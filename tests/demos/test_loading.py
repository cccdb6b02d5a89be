"""Loading a plugin from its locator (in the worker): what an author is told when the object is not a plugin."""

from __future__ import annotations

import pytest

from studyml.demos.loading import PluginLoadError, load_locator


def test_an_entry_point_to_something_else_is_named_as_the_author_wrote_it(tmp_path):
    # It said "entry:json:dumps does not define a studyml Plugin": `entry:` is the runner's own locator, not what the
    # author wrote in pyproject.toml.
    with pytest.raises(PluginLoadError) as e:
        load_locator("entry:json:dumps")
    assert str(e.value) == "the entry point's object json:dumps is not a studyml Plugin (found function)"
    (tmp_path / "three.py").write_text("plugin = 3\n")
    with pytest.raises(PluginLoadError, match=r"three\.py is not a studyml Plugin \(found int\)$"):
        load_locator(f"file:{tmp_path / 'three.py'}")


def test_an_import_error_is_placed_in_an_installed_package_even_under_the_standard_librarys_folder(monkeypatch):
    # Without a venv (pyenv, conda) site-packages is inside the standard library's folder: an entry-point plugin's
    # frames were skipped as standard library, and the error said nowhere.
    import sysconfig

    from studyml.demos import loading

    monkeypatch.setattr(
        sysconfig,
        "get_paths",
        lambda: {"stdlib": "/py", "purelib": "/py/site-packages", "platlib": "/py/site-packages"},
    )
    try:
        exec(compile("def load():\n    return {}['lr']\nload()\n", "/py/site-packages/mydemo/__init__.py", "exec"), {})
    except KeyError as e:
        assert loading.where_raised(e) == " (at mydemo/__init__.py:2 in load)"
    else:
        pytest.fail("the code raises")
