"""Run the emulator by hand: ``python -m github_emulator --repo owner/name``.

Useful to point the tracker's CLI at a local GitHub and watch what it does.
Without ``--token`` any token is accepted as the repository owner; with it,
only that token (and the printed installation token) work.
"""

from __future__ import annotations

import argparse
import sys
import threading

from .server import GitHubEmulator


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m github_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--repo", default="octo/minutes", help="owner/name of the repository")
    parser.add_argument("--collaborators", default="", help="comma-separated logins")
    parser.add_argument("--private", action="store_true")
    parser.add_argument("--token", help="the only user token accepted (acting as the owner)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    owner = args.repo.partition("/")[0]
    emu = GitHubEmulator.start(
        host=args.host, port=args.port, default_login=None if args.token else owner
    )
    collaborators = [c.strip() for c in args.collaborators.split(",") if c.strip()]
    emu.add_repo(args.repo, collaborators=collaborators, private=args.private)
    user_token = emu.user_token(owner, value=args.token)
    installation = emu.installation_token(repo=args.repo)
    print(f"GitHub emulator serving {args.repo} at {emu.url}")
    print(f"user token ({owner}): {user_token}")
    print(f"installation token (github-actions[bot]): {installation}")
    if args.token:
        print("only these two tokens are accepted")
    else:
        print(f"any other token is accepted as {owner}")
    print("Ctrl-C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
