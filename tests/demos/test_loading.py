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


PLUGIN_SOURCE = """
from pydantic import BaseModel
from studyml.demos.api import ClaimSpec, Plugin


class P(BaseModel):
    pass


plugin = Plugin(
    id="slip",
    title={{"en": "Slip"}},
    summary={{"en": "A slip."}},
    params=P,
    claims={claims},
    run={run},
)
"""


@pytest.mark.parametrize(
    "claims,run,said",
    [
        # Listed ok, then each run failed inside the worker's own code: TypeError: 'NoneType' object is not callable.
        ("[]", "None", "run must be a function run(params, ctx) (got NoneType)"),
        # AttributeError: 'str' object has no attribute 'id'.
        (
            '["c"]',
            "print",
            "claims must be ClaimSpec objects, like ClaimSpec('id', {'en': ..., 'ko': ...}) (got str 'c')",
        ),
        ("[]", "print", None),
    ],
)
def test_a_plugin_that_declares_the_wrong_kind_of_thing_is_told_at_its_own_line(tmp_path, claims, run, said):
    path = tmp_path / "slip.py"
    path.write_text(PLUGIN_SOURCE.format(claims=claims, run=run))
    if said is None:
        assert load_locator(f"file:{path}").id == "slip"
        return
    with pytest.raises(PluginLoadError) as e:
        load_locator(f"file:{path}")
    assert said in str(e.value)
    # The author's Plugin(...) call, not the check that found it (it said "at api.py:213 in __post_init__").
    assert str(e.value).endswith(" (at slip.py:10 in <module>)"), str(e.value)


def test_an_entry_point_that_names_a_module_is_told_to_name_its_plugin():
    with pytest.raises(PluginLoadError) as e:
        load_locator("entry:json")
    assert str(e.value).endswith("(found module): an entry point names the Plugin object itself, like `json:plugin`")
