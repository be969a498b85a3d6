"""30 chatbot questions end to end over MCP (tests/agent_session.py): the follow-up dialogue loses nothing."""
from __future__ import annotations

import anyio
from mcp import Client

from classifier.surfaces.mcp_server import create_server
from tests.agent_session import CHATS, KNOWN_GAPS, direct, run_all


def test_thirty_chats_end_as_the_library_answers_them():
    sessions = anyio.run(run_all, lambda: Client(create_server()))
    assert len(sessions) == len(CHATS) == 30
    assert sum(s.rounds for s in sessions) >= 20   # the dialogues really go through follow_up
    for session in sessions:
        given = {name: session.chat.sheet[name] for name in session.asked}
        assert session.final == direct(session.chat, given), session.chat.question
    differ = {s.chat.question for s in sessions if s.final != direct(s.chat)}
    assert differ == set(KNOWN_GAPS)
