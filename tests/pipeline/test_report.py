"""The report's map, its Arabic words and the Great Expectations Data Docs, without a browser
(tests/pipeline/test_report_browser.py opens them in one)."""

import re
from pathlib import Path

import great_expectations
import polars as pl

from analysis.incident_map import GRADE_COLOURS, MappedIncident, draw_incident_map, frame
from analysis.labels import label, vocabulary_labels
from conflict_text.vocabularies import vocabularies
from ledger import data_docs
from ledger.data_docs import OFFLINE, SITE_DIR, index_path, latest_runs, offline
from ledger.quality import _context, start_rendering_data_docs, validate

ARABIC = re.compile("[\u0600-\u06ff]")


def _incident(location, lat, lon, best, grade="single_source", precision=1):
    return MappedIncident(location, None, None, lat, lon, precision, best, grade)


def test_every_code_the_report_shows_has_an_arabic_and_an_english_name():
    labels = vocabulary_labels()
    for vocabulary in ("outcome", "victim_group", "munition_type"):
        assert set(vocabularies()[vocabulary]) <= set(labels[vocabulary]), vocabulary
    assert set(labels["grade"]) == set(GRADE_COLOURS)
    for vocabulary, codes in labels.items():
        for code in codes:
            ar, en = label(vocabulary, code)
            assert ARABIC.search(ar) and not ARABIC.search(en), (vocabulary, code)


def test_the_map_draws_the_governorates_and_lists_what_falls_outside_it(tmp_path):
    west, east, south, north = frame()
    assert west < 36.29 < east and south < 33.51 < north  # Damascus
    result = draw_incident_map(
        tmp_path / "map.svg",
        [
            _incident("دمشق", 33.51, 36.29, 10),
            _incident("موسكو", 55.75, 37.62, 4),  # a toll reported from abroad
            _incident("مكان مجهول", None, None, 2),
            _incident("ريف دمشق", 33.55, 36.65, 30, "corroborated", precision=3),
        ],
    )
    assert [p.location for p in result.places] == ["ريف دمشق", "دمشق"]
    assert [(p.location, p.killed) for p in result.outside] == [("موسكو", 4)]
    assert result.unplaced == 1
    svg = (tmp_path / "map.svg").read_text("utf-8")
    assert len(set(re.findall(r'id="governorate:([^":]+)', svg))) == 14 and svg.count('id="border:') > 1
    assert re.findall(r'id="incident:\d+:(\w+)"', svg) == ["corroborated", "single_source"]
    assert "دمشق (10)" in svg  # text kept as text, in logical order: the browser shapes it


def test_one_marker_per_place_and_grade_however_many_incidents(tmp_path):
    # A warehouse holds thousands of incidents at far fewer places: a place's incidents of one grade are
    # one marker sized by their killed together, and the place's name carries their sum.
    daily = [_incident("دوما", 33.57, 36.40, 2) for _ in range(400)]
    contested = [_incident("دوما", 33.57, 36.40, 5, "contested") for _ in range(3)]
    result = draw_incident_map(tmp_path / "map.svg", [*daily, *contested, _incident("حرستا", 33.56, 36.36, 7)])
    svg = (tmp_path / "map.svg").read_text("utf-8")
    assert re.findall(r'id="incident:\d+:(\w+)"', svg) == ["single_source", "contested", "single_source"]
    assert [(p.location, p.incidents, p.killed) for p in result.places] == [("دوما", 403, 815), ("حرستا", 1, 7)]
    assert "دوما (815)" in svg


def test_incidents_taken_together_count_as_many_and_a_shared_point_takes_its_most_reported_name(tmp_path):
    # The report passes a place's incidents of one grade as one row; two gazetteer places lie at one point.
    market = MappedIncident("سوق المدينة", None, None, 35.65, 36.68, 1, 40, "single_source", incidents=3)
    town = MappedIncident("المدينة", None, None, 35.65, 36.68, 1, 12, "corroborated", incidents=5)
    result = draw_incident_map(tmp_path / "map.svg", [market, town, _incident("مكان مجهول", None, None, 2)])
    assert [(p.location, p.incidents, p.killed) for p in result.places] == [("المدينة", 8, 52)]
    assert result.unplaced == 1


def test_place_names_are_written_only_where_they_cover_no_other(tmp_path):
    # Eighteen places of one small countryside, as a siege's reporting names them, and one far away.
    crowded = [_incident(f"بلدة {n}", 33.50 + 0.006 * n, 36.35 + 0.005 * n, 100 - n) for n in range(18)]
    far = _incident("بلدة بعيدة", 35.33, 40.14, 5)
    result = draw_incident_map(tmp_path / "map.svg", [*crowded, far])
    assert len(result.places) == 19
    assert "بلدة 0" in result.labelled and "بلدة بعيدة" in result.labelled  # the biggest, and the one alone
    assert len([name for name in result.labelled if name != "بلدة بعيدة"]) < 8


MENTIONS = {"mention_id": ["m1", "m2"], "entity_type": ["location", "weapon"]}  # «weapon» is no entity type
# A suite of the test's own, so that the project's suites may change without it.
SUITE = {
    "name": "mentions",
    "expectations": [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "mention_id"}},
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "entity_type", "value_set": {"$PARAMETER": "entity_type"}},
        },
    ],
}


def test_each_suite_run_gets_a_data_docs_page_with_its_failing_rows(tmp_path):
    failed = validate(pl.DataFrame(MENTIONS), SUITE, ["mention_id"], docs_root=tmp_path, run_name="b1")
    assert not failed.passed
    # A failing run renders its page and the index at once: its batch gets no report.
    page = failed.data_docs_page.read_text("utf-8")
    assert "b1" in failed.data_docs_page.parts and "weapon" in page and "m2" in page
    assert failed.data_docs_page.relative_to(tmp_path / "data_docs").as_posix() in index_path(tmp_path).read_text(
        "utf-8"
    )

    passing = {k: v[:1] for k, v in MENTIONS.items()}
    passed = validate(pl.DataFrame(passing), SUITE, ["mention_id"], docs_root=tmp_path, run_name="b2")
    assert passed.passed and not passed.data_docs_page.exists()  # rendered with the run's others, by the report
    assert start_rendering_data_docs(tmp_path).result() == index_path(tmp_path)
    assert passed.data_docs_page.exists()
    index = index_path(tmp_path).read_text("utf-8")
    assert all(p.data_docs_page.relative_to(tmp_path / "data_docs").as_posix() in index for p in (failed, passed))
    assert [(r.table, r.batch, r.success, r.evaluated, r.failed) for r in latest_runs(tmp_path)] == [
        ("mentions", "b2", True, 2, 0)
    ]


def test_more_pending_runs_than_the_index_lists_render_the_latest(tmp_path, monkeypatch):
    # A first run over a large inbox keeps more results than GX renders (INDEX_RUNS, 200): only the latest are.
    passing = {k: v[:1] for k, v in MENTIONS.items()}
    runs = [
        validate(pl.DataFrame(passing), SUITE, ["mention_id"], docs_root=tmp_path, run_name=f"b{i}") for i in (1, 2, 3)
    ]
    monkeypatch.setattr(data_docs, "INDEX_RUNS", 2)
    assert data_docs.render_pending(_context(), tmp_path) == index_path(tmp_path)  # a context of this process
    assert [r.data_docs_page.exists() for r in runs] == [False, True, True]


def test_no_data_docs_before_any_suite_ran(tmp_path):
    assert start_rendering_data_docs(tmp_path).result() is None


# A resource a page loads (a script, style sheet, image or icon), not a link a reader may follow.
LOADED = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"|url\(["']?([^"')]+)""")


def _loaded(text: str) -> set[str]:
    return {a or b for a, b in LOADED.findall(text)}


def test_the_data_docs_load_every_resource_from_the_warehouse(tmp_path):
    validate(pl.DataFrame(MENTIONS), SUITE, ["mention_id"], docs_root=tmp_path, run_name="b1")
    site = tmp_path / SITE_DIR
    files = [site / "index.html", *site.glob("validations/**/*.html"), *site.glob("static/styles/*.css")]
    assert len(files) == 4  # the index, the run's page, GX's style sheet and its custom styles' template
    for file in files:
        for url in _loaded(file.read_text("utf-8")):
            assert not re.match(r"https?:", url), (file, url)
            assert url.startswith("data:") or (file.parent / url).resolve().is_file(), (file, url)
    assert {"jquery.min.js", "bootstrap-table.min.js", "fa-solid-900.woff2"} <= {p.name for p in site.rglob("*")}


def test_offline_points_cdn_resources_at_the_site_and_leaves_links():
    # A page of our own writing in the form GX's templates give it.
    page = """<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" integrity="sha384-x" \
crossorigin="anonymous"></script>
<script src="https://cdn.example.org/new-library.js"></script>
<link rel="shortcut icon" href="../../../static/images/favicon.ico">
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20260101T000000Z">
<a href="https://greatexpectations.io">GX</a>"""
    assert (
        offline(page, "../../../../static")
        == """<link rel="stylesheet" \
href="../../../../static/vendor/bootstrap/css/bootstrap.min.css"/>
<script src="../../../../static/vendor/popper.js/popper.min.js"></script>
<script src="https://cdn.example.org/new-library.js"></script>
<link rel="shortcut icon" href="../../../../static/images/favicon.ico">
<img src="../../../../static/images/logo-long.png">
<a href="https://greatexpectations.io">GX</a>"""
    )
    # What stands in for a CDN file is vendored, or GX's own.
    vendored = Path(__file__).parents[2] / "ledger" / "data" / "data_docs_static"
    gx_static = Path(great_expectations.__file__).parent / "render" / "view" / "static"
    for path in filter(None, OFFLINE.values()):
        assert (vendored / path).is_file() or (gx_static / path).is_file(), path
