from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from showcase.core.admin import SiteListFilter, SiteScopedAdmin
from showcase.outbox.models import Message
from showcase.outbox.services import message_requeue


@admin.register(Message)
class MessageAdmin(SiteScopedAdmin):
    """What the site sent or tries to send; read-only, but a failed one can be sent again."""

    list_display = ["created_at", "subject", "recipients", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", SiteListFilter]
    list_select_related = ["tenant"]
    search_fields = ["subject", "to", "last_error"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = (
        "tenant",
        "kind",
        "ref",
        "from_email",
        "to",
        "reply_to",
        "headers",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    fields = readonly_fields

    @admin.display(description=_("to"))
    def recipients(self, message: Message) -> str:
        return ", ".join(message.to)

    @admin.action(description=_("Send again at the next run"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = sum(1 for message in queryset if message_requeue(message))
        self.message_user(
            request,
            _("%(count)d e-mail(s) will be sent at the next run.") % {"count": count},
            messages.SUCCESS,
        )
