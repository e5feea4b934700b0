from django.core.management.base import BaseCommand, CommandError

from langso.economy.models import Producer
from langso.people.models import User
from langso.trace.actions import create_api_key


class Command(BaseCommand):
    help = "Issue an EPCIS capture API key for a producer; the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("producer", help="producer public id (UUID) or exact name")
        parser.add_argument("name", help="what the key is for, e.g. the partner's software")
        parser.add_argument("--by", default="admin", help="username issuing the key")

    def handle(self, *args, **opts):
        ref = opts["producer"]
        producer = Producer.objects.filter(name=ref).first()
        if producer is None and len(ref) == 36:
            producer = Producer.objects.filter(public_id=ref).first()
        if producer is None:
            raise CommandError("Không tìm thấy chủ thể sản xuất.")
        actor = User.objects.filter(username=opts["by"]).first()
        if actor is None:
            raise CommandError("Không tìm thấy người cấp khoá.")
        _key, secret = create_api_key(actor=actor, producer=producer, name=opts["name"])
        self.stdout.write(secret)
