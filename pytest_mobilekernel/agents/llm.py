"""The LLM layer: any OpenAI-compatible endpoint through the `openai` SDK, with transcripts.

Every request and response is appended to a transcript (JSON lines) beside the kernel it produced,
together with the evaluation feedback the agent saw. ``ReplayLLM`` plays a transcript back with no
network: the same replies in the same order, and the recorded timing feedback, so a replay reaches
the same kernel. Token use is counted per role.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AgentError, MobileKernelError


class LLMUnavailable(MobileKernelError):
    """The endpoint cannot be used (no key, unreachable, persistent errors)."""


@dataclass
class LLMSettings:
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key: str | None = None
    timeout: float = 180.0
    max_retries: int = 4
    temperature: float | None = None
    max_tokens: int | None = None
    replay_dir: Path | None = None  # a label directory holding transcripts: replay, no network

    @classmethod
    def from_env(cls, **kw: Any) -> LLMSettings:
        kw.setdefault("base_url", os.environ.get("OPENAI_BASE_URL"))
        kw.setdefault("api_key", os.environ.get("OPENAI_API_KEY"))
        return cls(**kw)


@dataclass
class Usage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, prompt: int, completion: int) -> None:
        self.calls += 1
        self.prompt_tokens += prompt
        self.completion_tokens += completion


class Transcript:
    """Append-only JSON lines: {"type": "llm"|"feedback"|"event", ...}."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def append(self, entry: dict[str, Any]) -> None:
        with self.path.open("a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    @staticmethod
    def load(path: Path) -> list[dict[str, Any]]:
        if not path.exists():
            raise AgentError(f"no transcript to replay at {path}")
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@dataclass
class LLM:
    """Base: counts tokens per role, writes the transcript."""

    settings: LLMSettings
    transcript: Transcript | None = None
    usage: dict[str, Usage] = field(default_factory=dict)

    def complete(self, role: str, messages: list[dict[str, str]]) -> str:
        raise NotImplementedError

    def _account(self, role: str, prompt: int, completion: int) -> None:
        self.usage.setdefault(role, Usage()).add(prompt, completion)

    def record(self, entry: dict[str, Any]) -> None:
        if self.transcript:
            self.transcript.append(entry)

    def feedback(self, kind: str, value: dict[str, Any]) -> dict[str, Any]:
        """Evaluation results are recorded so a replay sees what the live run saw."""
        self.record({"type": "feedback", "kind": kind, "value": value})
        return value

    def usage_dict(self) -> dict[str, Any]:
        total = Usage()
        for u in self.usage.values():
            total.calls += u.calls
            total.prompt_tokens += u.prompt_tokens
            total.completion_tokens += u.completion_tokens
        return {"total": vars(total), **{r: vars(u) for r, u in sorted(self.usage.items())}}


class OpenAILLM(LLM):
    def __init__(self, settings: LLMSettings, transcript: Transcript | None = None) -> None:
        super().__init__(settings, transcript)
        from openai import OpenAI

        # The SDK retries 408/409/429/5xx and connection errors with exponential backoff.
        self.client = OpenAI(base_url=settings.base_url, api_key=settings.api_key or "none",
                             timeout=settings.timeout, max_retries=settings.max_retries)

    def complete(self, role: str, messages: list[dict[str, str]]) -> str:
        import openai

        params: dict[str, Any] = {"model": self.settings.model, "messages": messages}
        if self.settings.temperature is not None:
            params["temperature"] = self.settings.temperature
        if self.settings.max_tokens is not None:
            params["max_tokens"] = self.settings.max_tokens
        start = time.time()
        try:
            resp = self.client.chat.completions.create(**params)
        except openai.APIConnectionError as exc:
            raise LLMUnavailable(f"LLM endpoint {self.settings.base_url or 'default'} unreachable: {exc}") from None
        except openai.APIStatusError as exc:
            raise LLMUnavailable(f"LLM request failed with HTTP {exc.status_code}: {str(exc)[:200]}") from None
        text = (resp.choices[0].message.content or "") if resp.choices else ""
        prompt = getattr(resp.usage, "prompt_tokens", 0) or 0
        completion = getattr(resp.usage, "completion_tokens", 0) or 0
        self._account(role, prompt, completion)
        self.record({"type": "llm", "role": role, "model": self.settings.model, "messages": messages,
                     "response": text, "usage": {"prompt_tokens": prompt, "completion_tokens": completion},
                     "seconds": round(time.time() - start, 3)})
        return text


class ReplayLLM(LLM):
    """Plays back a transcript: replies by position, checked against the role asked for."""

    def __init__(self, settings: LLMSettings, source: Path, transcript: Transcript | None = None) -> None:
        super().__init__(settings, transcript)
        self.entries = Transcript.load(source)
        self.source = source
        self.pos = 0

    def _next(self, type_: str) -> dict[str, Any]:
        while self.pos < len(self.entries) and self.entries[self.pos]["type"] not in (type_,):
            self.pos += 1
        if self.pos >= len(self.entries):
            raise AgentError(f"transcript {self.source} ended: the replay asked for more than was recorded")
        entry = self.entries[self.pos]
        self.pos += 1
        return entry

    def complete(self, role: str, messages: list[dict[str, str]]) -> str:
        entry = self._next("llm")
        if entry["role"] != role:
            raise AgentError(f"transcript {self.source} diverged: recorded {entry['role']}, replay asked {role}")
        self._account(role, entry["usage"]["prompt_tokens"], entry["usage"]["completion_tokens"])
        self.record({**entry, "messages": messages, "replayed": True})
        return entry["response"]

    def recorded_feedback(self, kind: str) -> dict[str, Any] | None:
        """The next recorded feedback of this kind (timing is replayed, not re-measured)."""
        for i in range(self.pos, len(self.entries)):
            e = self.entries[i]
            if e["type"] == "llm":
                return None
            if e["type"] == "feedback" and e["kind"] == kind:
                return e["value"]
        return None


def preflight(settings: LLMSettings) -> None:
    """Fail before any task runs when the endpoint cannot work: one line saying what to do."""
    if settings.replay_dir is not None:
        if not Path(settings.replay_dir).is_dir():
            raise LLMUnavailable(f"--llm-replay {settings.replay_dir}: no such directory of transcripts")
        return
    if not settings.api_key:
        raise LLMUnavailable("OPENAI_API_KEY is not set: export it (any non-empty value for a local server "
                             "such as vLLM or Ollama), or use --agent=replay")
    import openai
    from openai import OpenAI

    client = OpenAI(base_url=settings.base_url, api_key=settings.api_key, timeout=10.0, max_retries=1)
    try:
        client.models.list()
    except openai.APIConnectionError as exc:
        raise LLMUnavailable(f"LLM endpoint {settings.base_url or 'default'} unreachable ({exc}): start the "
                             "server or fix --mk-llm-base-url / OPENAI_BASE_URL") from None
    except openai.AuthenticationError:
        raise LLMUnavailable(f"LLM endpoint {settings.base_url or 'default'} rejected OPENAI_API_KEY") from None
    except openai.APIStatusError:
        pass  # some compatible servers have no /models; the first real request will tell


def extract_code(text: str) -> str | None:
    """The first fenced C++ block of a reply (```cpp / ```c++ / ```), or None."""
    import re

    m = re.search(r"```(?:cpp|c\+\+|cc|cxx|C\+\+)?[ \t]*\n(.*?)```", text, re.S)
    return m.group(1).strip() + "\n" if m else None


def extract_json(text: str) -> dict[str, Any] | None:
    """The first JSON object of a reply (fenced or bare), or None when there is none or it is malformed."""
    import re

    m = re.search(r"```(?:json)?\s*\n(\{.*?\})\s*```", text, re.S)
    candidates = [m.group(1)] if m else []
    start = text.find("{")
    end = text.rfind("}")
    if start != -1 and end > start:
        candidates.append(text[start:end + 1])
    for c in candidates:
        try:
            value = json.loads(c)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None
