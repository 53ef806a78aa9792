"""The password policy's one message Django's Chinese catalogue misses: Django 5.2 asks
for "…at least %d characters." while the catalogue still translates the older
"%(min_length)d" wording, so the short-password refusal would come out in English."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"
