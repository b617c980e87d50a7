"""The `amity` command: run the whole product, or one of its parts."""

import os
import signal
import subprocess
import sys

COMMANDS = {
    "run": "serve the web UI and API with a background worker (demo data on first run)",
    "worker": "run a background worker",
    "migrate": "create or update the database tables",
    "createsuperuser": "create an administrator account",
    "demo": "load the demo organisation (only into an empty database)",
    "import": "import contacts from a file: amity import contacts FILE --user NAME",
}

USAGE = "usage: amity COMMAND [options]\n\ncommands:\n" + "".join(
    f"  {name:<17}{text}\n" for name, text in COMMANDS.items()
) + "\nAny other Django management command also works, e.g. `amity check`.\n"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amity.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE, end="")
        return
    command, rest = argv[0], argv[1:]
    if command == "run":
        run(rest)
    elif command == "worker":
        _manage(["worker", "--no-startup-delay", *rest])
    else:
        _manage([command, *rest])


def _manage(args: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amity", *args])


def run(args: list[str]) -> None:
    """Migrate, load the demo on first run, then serve with a worker beside the server."""
    import argparse

    parser = argparse.ArgumentParser(prog="amity run")
    parser.add_argument("--host", default=os.environ.get("AMITY_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("AMITY_PORT", "8000")))
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    options = parser.parse_args(args)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if not options.no_demo:
        call_command("demo", if_empty=True)

    worker = None
    if not options.no_worker:
        # Its own process group: Ctrl-C reaches only `run`, which then stops the worker
        # with one SIGINT (a second one would make the worker abandon a running task).
        worker = subprocess.Popen([sys.executable, "-m", "amity.cli", "worker"], process_group=0)
    signal.signal(signal.SIGTERM, _interrupt)
    url = f"http://{options.host}:{options.port}/"
    print(f"\nAmity is running at {url}  (API docs: {url}api/v1/docs)\nPress Ctrl-C to stop.\n",
          flush=True)
    try:
        from waitress import serve

        from amity.wsgi import application

        serve(application, host=options.host, port=options.port, threads=8, _quiet=True)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(worker)
        print("Amity stopped.")


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
    main()
