"""Plan checks for every planner: what fails, the one repair round, the extractive fallback
and how it is recorded, with a scripted chat model (in process and over HTTP)."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from explainer.errors import PlanError
from explainer.pipeline import plan_checked
from explainer.planning import ExtractivePlanner, PlanSettings
from explainer.planning.checks import check_plan, source_capacity
from explainer.shotlist import PlannerInfo, Shot, ShotList
from explainer.sources import parse_source, topic_source

from .conftest import SAMPLE, run_cli
from .test_llm_planner import reply, scripted

ARTICLE = SAMPLE.read_bytes()
ECHO = json.dumps({"title": "t", "shots": [{"narration": "#/$defs/ShotDraft", "on_screen_text": "", "visual_prompt": "", "source_refs": []}]})
ONE_SHOT = reply("The Riverside city council approved a $18.6 million reconstruction of the Elm Street Bridge.")
GOOD = reply(
    "The Elm Street Bridge, the only road crossing between downtown Riverside and the east-side neighborhoods, will close on March 3 for a $18.6 million reconstruction.",
    "Council members voted 6 to 1 to approve the contract with Halvorsen Construction after a meeting that drew more than 200 residents.",
    "The 1958 steel truss bridge carries about 21,000 vehicles a day, and a state inspection rated its deck in poor condition.",
    "The state will pay $11.2 million of the cost, and the remaining $7.4 million will come from a city bond that voters approved in 2023.",
    "During the closure, drivers will be detoured over the Route 9 bridge, which will add 8 to 12 minutes to a typical rush-hour commute.",
    "Riverside Transit will add a free shuttle bus that crosses the Route 9 bridge every 15 minutes on weekdays.",
    "Business owners on the east side said they worry about losing customers during the 14 months of construction.",
    "The council set aside $250,000 for a small-business support program, with grants of up to $5,000 for shops near the bridge.",
)


def _source():
    return parse_source(ARTICLE, SAMPLE.name)


def _shots(*narrations: str, on_screen: str = "") -> ShotList:
    return ShotList(
        title="t", voice="joe", planner=PlannerInfo(name="test", version="0"),
        shots=[Shot(id=f"shot-{i:02d}", narration=n, on_screen_text=on_screen) for i, n in enumerate(narrations, 1)],
    )


@pytest.mark.parametrize(
    "shotlist, code",
    [
        (_shots("#/$defs/ShotDraft"), "not-language"),
        (_shots('{"narration": "The bridge closes in September."}'), "not-language"),
        (_shots("The bridge closes."), "not-language"),  # three words
        (_shots("The bridge closes in September.", "The bridge closes in September."), "duplicate-line"),
        (_shots("Read more: council approves new parking rules for downtown."), "filler"),
        (_shots("The bridge closes in September for fourteen months.", on_screen="The old bridge closes to all traffic in September for fourteen months"), "long-on-screen"),
    ],
    ids=["schema-echo", "json", "too-short", "duplicate", "filler", "long-on-screen"],
)
def test_content_failures(shotlist, code):
    assert code in {f.code for f in check_plan(shotlist)}


def test_length_failures_scale_with_the_target_and_the_source():
    source = _source()
    settings = PlanSettings(length_s=60)
    one = _shots("The Riverside City Council approved an $18.6 million plan to rebuild the Elm Street Bridge.")
    codes = {f.code for f in check_plan(one, settings, capacity=source_capacity(source, settings))}
    assert codes == {"too-few-shots", "length-off"}
    # A source too short to fill 60 s is held to what it can give, not to 60 s.
    short = parse_source(b"Ferry returns\n\n" + b"The island ferry will run again on Monday after a repair that cost $7.4 million, the port said. " * 1
                         + b"Riders paid $12 for a water taxi while it was away, four times the fare, and many said they could not afford it.", "f.txt")
    plan = ExtractivePlanner().plan(short, settings)
    assert check_plan(plan, settings, capacity=source_capacity(short, settings)) == []


def test_prompt_echo_is_caught():
    source = _source()
    planner, _ = scripted(GOOD)
    planner.plan(source, PlanSettings(length_s=60))
    echoed = _shots("Use only facts stated in the source article and add nothing from outside knowledge or guesses.")
    assert "prompt-echo" in {f.code for f in check_plan(echoed, instructions=planner.instructions)}


def test_echo_then_one_shot_then_good_plan_is_repaired_and_recorded():
    planner, chat = scripted(ECHO, ONE_SHOT, GOOD)
    # GOOD is about 73 s as spoken (its figures read out in words).
    shotlist = plan_checked(planner, _source(), PlanSettings(length_s=75), None, ExtractivePlanner())
    # 1: the echo fails the schema, 2: the schema repair gives one shot, which fails the plan
    # checks, 3: the plan-check repair gives a plan that passes.
    assert chat.calls == 3
    assert shotlist.planner.name == "llm" and shotlist.planner.fallback_from is None
    assert any("1 shot for 75 s" in r for r in shotlist.planner.repaired)
    assert len(shotlist.shots) == 8 and not any(s.unsupported for s in shotlist.shots)


def test_plan_failing_twice_falls_back_to_extractive_with_the_reason():
    planner, chat = scripted(ONE_SHOT, ONE_SHOT)
    shotlist = plan_checked(planner, _source(), PlanSettings(length_s=60), None, ExtractivePlanner())
    assert chat.calls == 2
    info = shotlist.planner
    assert info.name == "extractive" and info.fallback_from == "llm (scripted:test)"
    assert info.fallback_reason.startswith("its plan failed the plan checks twice: 1 shot for 60 s; write at least 3")
    assert len(shotlist.shots) >= 3


def test_unparseable_twice_falls_back_too():
    planner, chat = scripted(ECHO, ECHO)
    shotlist = plan_checked(planner, _source(), PlanSettings(length_s=60), None, ExtractivePlanner())
    assert chat.calls == 2
    assert shotlist.planner.fallback_reason.startswith("it could not write a plan: the model's reply was not a valid shot list twice")


def test_topic_mode_has_no_fallback_and_says_so():
    planner, _ = scripted(ONE_SHOT, ONE_SHOT)
    with pytest.raises(PlanError, match=r"the llm \(scripted:test\) plan cannot be used: its plan failed the plan checks twice: 1 shot for 60 s"):
        plan_checked(planner, topic_source("Bridges"), PlanSettings(length_s=60), None, ExtractivePlanner())


class _ScriptedOpenAI(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that answers from a script (an external service's fake)."""

    replies: list[str] = []
    requests: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        content = type(self).replies.pop(0) if type(self).replies else "no more replies"
        payload = json.dumps({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def test_make_with_a_failing_model_warns_and_records_the_fallback(tmp_path):
    _ScriptedOpenAI.replies = [ECHO, ECHO]
    _ScriptedOpenAI.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        video = tmp_path / "bridge.mp4"
        run = run_cli("make", str(SAMPLE), "-o", str(video), "--length", "20", "--planner", "llm",
                      "--llm-base-url", f"http://127.0.0.1:{server.server_address[1]}/v1", "--no-sign",
                      cache=tmp_path / "cache", env={"EXPLAINER_LLM_RETRIES": "0"})
    finally:
        server.shutdown()
    assert run.code == 0, run.stderr
    assert len(_ScriptedOpenAI.requests) == 2
    assert "warning: the llm (openai:gpt-4o-mini@http://127.0.0.1" in run.stderr and "replaced by the extractive planner" in run.stderr
    record = json.loads(video.with_name("bridge.record.json").read_text())
    assert record["planner"]["name"] == "extractive"
    assert record["planner"]["fallback_from"].startswith("llm (openai:gpt-4o-mini@http://127.0.0.1")
    assert "not a valid shot list twice" in record["planner"]["fallback_reason"]
