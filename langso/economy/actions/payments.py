from django.db import transaction
from django.utils.translation import gettext as _

from langso.core.validation import validate

from .. import vietqr
from ..banks import bank_by_bin
from ..exceptions import InvalidBankAccount, InvalidPayment
from ..models import BankAccount, Producer
from ._common import AuditAction, record_change, require_editor


@transaction.atomic
def add_bank_account(
    *,
    actor,
    producer: Producer,
    bank_bin: str,
    account_number: str,
    account_name: str,
    channel: str = BankAccount.Channel.ACCOUNT,
    is_default: bool = True,
) -> BankAccount:
    require_editor(actor, producer)
    if bank_by_bin(bank_bin) is None:
        raise InvalidBankAccount(_("Ngân hàng không có trong danh sách NAPAS 247."))
    number = account_number.replace(" ", "").strip()
    if not (number.isascii() and number.isalnum() and 1 <= len(number) <= 19):
        raise InvalidBankAccount(_("Số tài khoản gồm tối đa 19 chữ số hoặc chữ cái."))
    name = (
        vietqr.clean_free_text(account_name, max_length=100).upper() if account_name.strip() else ""
    )
    if not name:
        raise InvalidBankAccount(_("Cần nhập tên chủ tài khoản."))
    if BankAccount.objects.filter(
        producer=producer, bank_bin=bank_bin, account_number=number
    ).exists():
        raise InvalidBankAccount(_("Tài khoản này đã được khai báo."))
    if is_default:
        producer.bank_accounts.filter(is_default=True).update(is_default=False)
    account = BankAccount(
        producer=producer,
        bank_bin=bank_bin,
        account_number=number,
        account_name=name,
        channel=channel,
        is_default=is_default,
    )
    validate(account)
    account.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=account)
    return account


@transaction.atomic
def remove_bank_account(*, actor, account: BankAccount) -> None:
    require_editor(actor, account.producer)
    record_change(actor=actor, action=AuditAction.DELETE, target=account)
    account.delete()


def payment_payload(
    *, account: BankAccount, amount=None, purpose: str = "", bill_number: str = ""
) -> str:
    """A static (no amount) or dynamic VietQR payload for the account. Pure: writes nothing."""
    try:
        return vietqr.build_payload(
            bank_bin=account.bank_bin,
            account=account.account_number,
            amount=amount,
            purpose=purpose,
            bill_number=bill_number,
            service=account.channel,
        )
    except vietqr.VietQRError as exc:
        raise InvalidPayment(exc.message, reason=exc.code) from exc
