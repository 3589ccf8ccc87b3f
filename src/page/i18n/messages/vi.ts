import type { Catalogue } from '../catalogue.ts'

/** The claim page in Vietnamese. PayID, BSB and ABN stay as Australian banks write them. */
export const vi: Catalogue = {
  'meta.title': '{step} – Đổi điểm {provider}',
  'meta.error': 'Lỗi: {title}',
  'step.form': 'Đổi điểm lấy tiền',
  'step.review': 'Kiểm tra thông tin',
  'step.paid': 'Biên nhận',
  'step.status': 'Giao dịch đổi điểm',
  'language.label': 'Ngôn ngữ',

  'test_mode.title': 'Chế độ thử nghiệm — không có tiền nào được chuyển.',
  'test_mode.body': 'Đường dẫn này được tạo để dùng thử Cashout; khoản thanh toán chỉ là mô phỏng.',
  'offer.for': 'đổi từ {points}',
  points: { other: '{count} điểm' },
  'offer.fee': 'Đã trừ phí {fee}.',
  'offer.expires': 'Đường dẫn hết hạn lúc {time}',
  'support.need_help': 'Cần trợ giúp?',

  'form.problem': 'Có lỗi cần sửa',
  'form.error': 'Lỗi:',
  'form.retry': 'Vui lòng dùng tài khoản khác',
  'form.where': 'Bạn muốn nhận tiền bằng cách nào?',
  'form.to_payid': 'Qua PayID',
  'form.to_bank': 'Qua tài khoản ngân hàng',
  'form.payid_section': 'PayID',
  'form.payid_type': 'Loại PayID',
  'form.payid': 'PayID',
  'form.payid_hint':
    'Email, số di động, ABN hoặc mã tổ chức mà bạn đã đăng ký làm PayID tại ngân hàng.',
  'form.bank_section': 'Tài khoản ngân hàng',
  'form.account_name': 'Tên tài khoản',
  'form.account_name_hint':
    "Ghi đúng như trên tài khoản, viết không dấu (ví dụ: Nguyen Van An). Chỉ dùng chữ cái, chữ số, dấu cách và dấu nháy đơn (').",
  'form.bsb': 'BSB',
  'form.bsb_hint': '6 chữ số, ví dụ 062-000.',
  'form.account_number': 'Số tài khoản',
  'form.account_number_hint': 'Từ 4 đến 9 chữ số.',
  'form.continue': 'Tiếp tục',
  'payid_type.email': 'Địa chỉ email',
  'payid_type.mobile': 'Số di động',
  'payid_type.abn': 'ABN',
  'payid_type.org_id': 'Mã tổ chức',

  'validation.type': 'Vui lòng chọn PayID hoặc tài khoản ngân hàng.',
  'validation.payid_type': 'Vui lòng chọn email, số di động, ABN hoặc mã tổ chức.',
  'validation.payid_missing': 'Vui lòng nhập PayID của bạn.',
  'validation.invisible': 'Có ký tự ẩn; vui lòng nhập lại.',
  'validation.full_width':
    'Có ký tự toàn độ rộng (full-width); vui lòng nhập lại bằng bàn phím tiêu chuẩn.',
  'validation.email': 'Vui lòng nhập địa chỉ email, ví dụ name@example.com.',
  'validation.mobile': 'Vui lòng nhập số di động Úc, ví dụ 0412 345 678.',
  'validation.abn_length': 'ABN gồm 11 chữ số.',
  'validation.abn_checksum': 'ABN này không hợp lệ; hãy kiểm tra lại các chữ số.',
  'validation.org_id':
    "Vui lòng nhập mã tổ chức như đã đăng ký: chữ cái, chữ số, dấu cách và . & ' -",
  'validation.account_name_missing': 'Vui lòng nhập tên trên tài khoản.',
  'validation.account_name_long': 'Tối đa 140 ký tự.',
  'validation.account_name_characters':
    'Chỉ dùng chữ cái không dấu, chữ số, dấu cách và dấu nháy đơn; chuyển khoản ngân hàng không nhận ký tự khác.',
  'validation.account_name_card': 'Vui lòng nhập tên trên tài khoản, không phải số thẻ.',
  'validation.bsb': 'BSB gồm 6 chữ số, ví dụ 062-000.',
  'validation.account_number': 'Số tài khoản gồm từ 4 đến 9 chữ số.',
  'validation.not_text': 'Phải là văn bản.',
  'validation.too_long': 'Tối đa {max} ký tự.',

  'review.heading': 'Kiểm tra thông tin',
  'review.you_receive': 'Số tiền bạn nhận',
  'review.confirm': 'Xác nhận đổi điểm',
  'review.change': 'Sửa thông tin',

  'status.processing': 'Đang chuyển tiền cho bạn',
  'status.paid': 'Đã thanh toán',
  'status.failed': 'Không thể hoàn tất giao dịch đổi điểm này',
  'status.expired': 'Giao dịch đổi điểm này đã hết hạn',
  'status.cancelled': 'Giao dịch đổi điểm này đã bị hủy',
  'status.on_its_way': '{cash} đang được chuyển đến {destination}.',
  'status.usually': 'Việc này thường mất chưa đến một phút.',
  'status.updates': 'Trang này tự cập nhật.',
  'status.refresh': 'Tải lại',
  'status.expired_reason': 'Đường dẫn đã hết hạn mà chưa được sử dụng.',
  'status.cancelled_reason': 'Chương trình điểm thưởng (bên gửi đường dẫn) đã hủy giao dịch này.',
  'destination.account': 'tài khoản {account}',
  'destination.payid': 'PayID {payid}',
  'destination.unknown': 'tài khoản của bạn',

  'waiting.rail_funds':
    'Việc chuyển tiền cho bạn đang bị chậm vì dịch vụ thanh toán đang chờ nguồn tiền. Bạn không cần làm gì: tiền sẽ được chuyển ngay khi nguồn tiền về.',
  'waiting.rail_retry':
    'Việc chuyển tiền cho bạn đang bị chậm: dịch vụ thanh toán không phản hồi nên chúng tôi đang thử lại. Bạn không cần làm gì.',
  'waiting.rail_credentials':
    'Việc chuyển tiền cho bạn đang bị chậm: dịch vụ thanh toán tạm thời không nhận lệnh chuyển tiền. Bạn không cần làm gì: tiền sẽ được chuyển ngay khi dịch vụ hoạt động lại.',
  'waiting.rail_confirmation':
    'Tiền đã được chuyển đi, chúng tôi đang chờ ngân hàng xác nhận. Bạn không cần làm gì.',
  'waiting.operator':
    'Đội ngũ của chúng tôi đang kiểm tra khoản tiền chuyển cho bạn. Bạn không cần làm gì.',

  'failure.field': 'Dịch vụ thanh toán không chấp nhận {field}.',
  'failure.field.payid': 'PayID',
  'failure.field.payid_type': 'loại PayID',
  'failure.field.account_name': 'tên tài khoản',
  'failure.field.bsb': 'BSB',
  'failure.field.account_number': 'số tài khoản',
  'failure.bank': 'Ngân hàng không thể chuyển tiền vào tài khoản này.',
  'failure.blocked': 'Tài khoản này không thể nhận tiền.',
  'failure.other': 'Không thể hoàn tất thanh toán.',
  'failure.retry': 'Vui lòng kiểm tra lại thông tin hoặc dùng tài khoản khác.',
  'failure.final':
    'Giao dịch đổi điểm đã dừng; giá trị của giao dịch đã được hoàn lại cho chương trình điểm thưởng.',

  'receipt.sent': '{cash} đã được chuyển đến {destination}.',
  'receipt.title': 'Biên nhận',
  'receipt.amount': 'Số tiền đã trả',
  'receipt.points': 'Số điểm đã đổi',
  'receipt.fee': 'Phí',
  'receipt.paid_to': 'Chuyển đến',
  'receipt.paid_on': 'Thời gian thanh toán',
  'receipt.from': 'Từ',
  'receipt.reference': 'Mã tham chiếu',
  'receipt.print': 'In biên nhận',
  'receipt.keep': 'Vui lòng giữ biên nhận này để đối chiếu khi cần.',

  'unavailable.title': 'Đường dẫn không khả dụng – Cashout',
  'unavailable.heading': 'Đường dẫn đổi điểm này không khả dụng',
  'unavailable.body': 'Có thể đường dẫn đã hết hạn, đã được sử dụng hoặc đã bị hủy.',
  'unavailable.contact':
    'Nếu bạn đang chờ nhận tiền, vui lòng liên hệ chương trình điểm thưởng đã gửi đường dẫn cho bạn.',
  'notice.title': '{heading} – Cashout',
  'notice.back': 'Quay lại giao dịch đổi điểm',
  'notice.too_many.heading': 'Quá nhiều lần thử',
  'notice.too_many.message': { other: 'Vui lòng đợi {count} giây rồi thử lại.' },
  'notice.refused.heading': 'Trang này đã hết hạn',
  'notice.refused.message':
    'Vì lý do an toàn, không thể gửi biểu mẫu. Vui lòng mở lại đường dẫn đổi điểm và thử lại.',
  'notice.unreadable.heading': 'Không đọc được biểu mẫu này',
  'notice.unreadable.message':
    'Biểu mẫu gửi đến không đúng định dạng của trang này. Vui lòng mở lại đường dẫn đổi điểm và thử lại.',
}
