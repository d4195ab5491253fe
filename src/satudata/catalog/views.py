"""Pages of the data list: decrees and items. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def decree_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("decrees")


decree_create = decree_detail = decree_edit = decree_list
item_list = item_create = item_detail = item_edit = decree_list
