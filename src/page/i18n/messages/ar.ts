import type { Catalogue } from '../catalogue.ts'

/**
 * The claim page in Arabic (Modern Standard Arabic), right to left. Brand and banking terms the
 * customer's bank uses in Australia stay as they are (PayID, BSB, ABN); digits are Western, as
 * on Australian bank cards and statements.
 */
export const ar: Catalogue = {
  'meta.title': '{step} – استبدال نقاط {provider}',
  'meta.error': 'خطأ: {title}',
  'step.form': 'استبدل نقاطك نقدًا',
  'step.review': 'راجِع بياناتك',
  'step.paid': 'الإيصال',
  'step.status': 'عملية الاستبدال',
  'language.label': 'اللغة',

  'test_mode.title': 'وضع تجريبي — لن تُحوَّل أي أموال.',
  'test_mode.body': 'أُنشئ هذا الرابط لتجربة Cashout، والدفع فيه محاكاة فقط.',
  'offer.for': 'مقابل {points}',
  points: {
    zero: '{count} نقطة',
    one: 'نقطة واحدة',
    two: 'نقطتين',
    few: '{count} نقاط',
    many: '{count} نقطة',
    other: '{count} نقطة',
  },
  'offer.fee': 'المبلغ صافٍ بعد خصم رسوم قدرها {fee}.',
  'offer.expires': 'تنتهي صلاحية الرابط في {time}',
  'support.need_help': 'هل تحتاج إلى مساعدة؟',

  'form.problem': 'هناك مشكلة',
  'form.error': 'خطأ:',
  'form.retry': 'استخدم حسابًا آخر',
  'form.where': 'إلى أين نرسل أموالك؟',
  'form.to_payid': 'إلى PayID',
  'form.to_bank': 'إلى حساب مصرفي',
  'form.payid_section': 'PayID',
  'form.payid_type': 'نوع PayID',
  'form.payid': 'PayID',
  'form.payid_hint':
    'البريد الإلكتروني أو رقم الجوال أو ABN أو معرّف المؤسسة المسجَّل لدى مصرفك بوصفه PayID الخاص بك.',
  'form.bank_section': 'الحساب المصرفي',
  'form.account_name': 'اسم الحساب',
  'form.account_name_hint':
    "كما يظهر في الحساب، بالأحرف اللاتينية (الإنجليزية) والأرقام والمسافات والفاصلة العلوية (') فقط.",
  'form.bsb': 'رمز BSB',
  'form.bsb_hint': '6 أرقام، مثل 062-000.',
  'form.account_number': 'رقم الحساب',
  'form.account_number_hint': 'من 4 إلى 9 أرقام.',
  'form.continue': 'متابعة',
  'payid_type.email': 'البريد الإلكتروني',
  'payid_type.mobile': 'رقم الجوال',
  'payid_type.abn': 'رقم ABN',
  'payid_type.org_id': 'معرّف المؤسسة',

  'validation.type': 'اختر PayID أو حسابًا مصرفيًا.',
  'validation.payid_type': 'اختر البريد الإلكتروني أو رقم الجوال أو ABN أو معرّف المؤسسة.',
  'validation.payid_missing': 'أدخل PayID الخاص بك.',
  'validation.invisible': 'يحتوي على رموز غير مرئية؛ يُرجى كتابته من جديد.',
  'validation.full_width': 'يحتوي على رموز بعرض كامل؛ يُرجى كتابته بلوحة مفاتيح إنجليزية عادية.',
  'validation.email': 'أدخل بريدًا إلكترونيًا مثل name@example.com.',
  // Isolated left to right: in an Arabic sentence the three groups would otherwise run backwards.
  'validation.mobile': 'أدخل رقم جوال أستراليًا، مثل \u20660412 345 678\u2069.',
  'validation.abn_length': 'يتكوّن رقم ABN من 11 رقمًا.',
  'validation.abn_checksum': 'رقم ABN هذا غير صالح؛ تحقّق من الأرقام.',
  'validation.org_id':
    "أدخل معرّف المؤسسة كما هو مسجَّل: حروف لاتينية وأرقام ومسافات والرموز \u2066. & ' -\u2069",
  'validation.account_name_missing': 'أدخل الاسم المسجَّل على الحساب.',
  'validation.account_name_long': 'استخدم 140 حرفًا على الأكثر.',
  'validation.account_name_characters':
    "استخدم الأحرف اللاتينية (الإنجليزية) والأرقام والمسافات والفاصلة العلوية (') فقط؛ لا يقبل التحويل المصرفي غيرها.",
  'validation.account_name_card': 'أدخل الاسم المسجَّل على الحساب، لا رقم بطاقة.',
  'validation.bsb': 'يتكوّن رمز BSB من 6 أرقام، مثل 062-000.',
  'validation.account_number': 'يتكوّن رقم الحساب من 4 إلى 9 أرقام.',
  'validation.not_text': 'يجب أن يكون نصًا.',
  'validation.too_long': 'يجب ألا يتجاوز عدد الأحرف {max}.',

  'review.heading': 'راجِع بياناتك',
  'review.you_receive': 'المبلغ الذي ستستلمه',
  'review.confirm': 'تأكيد الاستبدال',
  'review.change': 'تعديل البيانات',

  'status.processing': 'جارٍ إرسال أموالك',
  'status.paid': 'تم الدفع',
  'status.failed': 'تعذّر علينا إتمام عملية الاستبدال هذه',
  'status.expired': 'انتهت صلاحية عملية الاستبدال هذه',
  'status.cancelled': 'أُلغيت عملية الاستبدال هذه',
  'status.on_its_way': 'مبلغ {cash} في طريقه إلى {destination}.',
  'status.usually': 'يستغرق ذلك عادةً أقل من دقيقة.',
  'status.updates': 'تُحدَّث هذه الصفحة تلقائيًا.',
  'status.refresh': 'تحديث',
  'status.expired_reason': 'لم يُستخدم الرابط في الوقت المحدد.',
  'status.cancelled_reason': 'ألغى برنامج المكافآت الذي أرسل الرابط هذه العملية.',
  'destination.account': 'الحساب {account}',
  'destination.payid': 'PayID {payid}',
  'destination.unknown': 'حسابك',

  'waiting.rail_funds':
    'تأخّر إرسال المبلغ إليك لأن خدمة الدفع تنتظر وصول الأموال. لا داعي لأي إجراء منك: سيُرسَل فور وصولها.',
  'waiting.rail_retry':
    'تأخّر إرسال المبلغ إليك: لم تستجب خدمة الدفع، لذلك نعيد المحاولة. لا داعي لأي إجراء منك.',
  'waiting.rail_credentials':
    'تأخّر إرسال المبلغ إليك: خدمة الدفع لا تقبل المدفوعات حاليًا. لا داعي لأي إجراء منك: سيُرسَل فور عودة الخدمة.',
  'waiting.rail_confirmation': 'أُرسل المبلغ إليك، وننتظر تأكيد المصرف. لا داعي لأي إجراء منك.',
  'waiting.operator': 'يراجع فريقنا عملية الإرسال. لا داعي لأي إجراء منك.',

  'failure.field': 'لم تقبل خدمة الدفع {field}.',
  'failure.field.payid': 'معرّف PayID',
  'failure.field.payid_type': 'نوع PayID',
  'failure.field.account_name': 'اسم الحساب',
  'failure.field.bsb': 'رمز BSB',
  'failure.field.account_number': 'رقم الحساب',
  'failure.bank': 'تعذّر على المصرف الدفع إلى هذا الحساب.',
  'failure.blocked': 'لا يمكن لهذا الحساب استلام مدفوعات.',
  'failure.other': 'تعذّر إتمام الدفع.',
  'failure.retry': 'تحقّق من البيانات، أو استخدم حسابًا آخر.',
  'failure.final': 'توقّفت عملية الاستبدال، وأُعيدت قيمتها إلى برنامج المكافآت.',

  'receipt.sent': 'أُرسل مبلغ {cash} إلى {destination}.',
  'receipt.title': 'الإيصال',
  'receipt.amount': 'المبلغ المدفوع',
  'receipt.points': 'النقاط المستبدلة',
  'receipt.fee': 'الرسوم',
  'receipt.paid_to': 'دُفع إلى',
  'receipt.paid_on': 'تاريخ الدفع',
  'receipt.from': 'من',
  'receipt.reference': 'الرقم المرجعي',
  'receipt.print': 'طباعة الإيصال',
  'receipt.keep': 'احتفظ بهذا الإيصال في سجلاتك.',

  'unavailable.title': 'الرابط غير متاح – Cashout',
  'unavailable.heading': 'رابط الاستبدال هذا غير متاح',
  'unavailable.body': 'ربما انتهت صلاحيته، أو استُخدم من قبل، أو أُلغي.',
  'unavailable.contact': 'إذا كنت تنتظر مبلغًا، فتواصل مع برنامج المكافآت الذي أرسل إليك الرابط.',
  'notice.title': '{heading} – Cashout',
  'notice.back': 'العودة إلى عملية الاستبدال',
  'notice.too_many.heading': 'محاولات كثيرة جدًا',
  'notice.too_many.message': {
    zero: 'يُرجى الانتظار {count} ثانية، ثم المحاولة مجددًا.',
    one: 'يُرجى الانتظار ثانية واحدة، ثم المحاولة مجددًا.',
    two: 'يُرجى الانتظار ثانيتين، ثم المحاولة مجددًا.',
    few: 'يُرجى الانتظار {count} ثوانٍ، ثم المحاولة مجددًا.',
    many: 'يُرجى الانتظار {count} ثانية، ثم المحاولة مجددًا.',
    other: 'يُرجى الانتظار {count} ثانية، ثم المحاولة مجددًا.',
  },
  'notice.refused.heading': 'انتهت صلاحية هذه الصفحة',
  'notice.refused.message':
    'حفاظًا على أمانك، تعذّر إرسال النموذج. افتح عملية الاستبدال من جديد وأعِد المحاولة.',
  'notice.unreadable.heading': 'تعذّرت قراءة هذا النموذج',
  'notice.unreadable.message':
    'لم يصل النموذج بالشكل الذي ترسله هذه الصفحة. افتح عملية الاستبدال من جديد وأعِد المحاولة.',
}
