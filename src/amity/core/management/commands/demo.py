from django.core.management.base import BaseCommand

from amity.demo import DEMO_PASSWORD, DEMO_USERS, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation: users in every role, accounts and contacts with history."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing (quietly) when the database already has users.")

    def handle(self, *args, if_empty=False, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo organisation loaded. Sign in as:"))
        elif if_empty and demo_loaded():
            self.stdout.write("Demo logins (unless their passwords were changed):")
        else:
            self.stdout.write("The database already has users; the demo was not loaded.")
            return
        for username, _name, role, _team in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role:<16} password: {DEMO_PASSWORD}")
