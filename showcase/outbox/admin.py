from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from showcase.core.admin import SiteListFilter, SiteScopedAdmin
from showcase.outbox.models import KIND_WORDS, Message
from showcase.outbox.services import message_requeue


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(kind, str(words)) for kind, words in KIND_WORDS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Message)
class MessageAdmin(SiteScopedAdmin):
    """What the site sent or tries to send; read-only, but a failed one can be sent again."""

    # Seven columns scrolled out of view at 1366 px beside the two sidebars: the outcome
    # (status, attempts, when sent) is one column.
    list_display = ["created_at", "short_subject", "recipients", "what", "delivery"]
    list_filter = ["status", KindFilter, SiteListFilter]
    list_select_related = ["tenant"]
    search_fields = ["subject", "to", "last_error"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = (
        "tenant",
        "what",
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

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # the site writes them; an e-mail typed here would bypass everything

    @admin.display(description=_("kind"), ordering="kind")
    def what(self, message: Message) -> str:
        return message.kind_words()

    @admin.display(description=_("subject"), ordering="subject")
    def short_subject(self, message: Message) -> str:
        # The whole subject on the message's page; a long one must not push columns away.
        return Truncator(message.subject).chars(60)

    @admin.display(description=_("status"), ordering="status")
    def delivery(self, message: Message) -> str:
        words = message.get_status_display()
        if message.sent_at is not None:
            when = date_format(timezone.localtime(message.sent_at), "SHORT_DATETIME_FORMAT")
            return f"{words} ({when})"
        if message.attempts:
            tries = ngettext("%(n)d attempt", "%(n)d attempts", message.attempts)
            return f"{words} ({tries % {'n': message.attempts}})"
        return words

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
