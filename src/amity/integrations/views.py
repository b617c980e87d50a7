from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.integrations import services


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.token_create(user=request.user,
                                                      name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc.message_dict["name"])
        else:
            form = TokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "integrations/tokens.html",
                  {"form": form, "tokens": tokens, "new_token": new_token,
                   "title": _("API tokens")})


@login_required
@require_POST
def token_revoke(request, pk):
    services.token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("The token was revoked."))
    return redirect("token_list")
