from ninja import Router, Schema

from amity.api.errors import ErrorOut

router = Router(tags=["organisation"])


class MeOut(Schema):
    id: int
    username: str
    email: str
    role: str | None
    team: str | None
    language: str
    time_zone: str
    calendar: str

    @staticmethod
    def resolve_role(obj) -> str | None:
        return obj.role.key if obj.role else None

    @staticmethod
    def resolve_team(obj) -> str | None:
        return obj.team.name if obj.team else None


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The signed-in user")
def me(request):
    return request.auth
