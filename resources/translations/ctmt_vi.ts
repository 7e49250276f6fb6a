<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../ui/accounts_section.py" line="+74"/>
        <source>Create the administrator account</source>
        <translation>Tạo tài khoản quản trị</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New account</source>
        <translation>Tài khoản mới</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Must choose a new password at the first login</source>
        <translation>Phải đổi mật khẩu ở lần đăng nhập đầu tiên</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role:</source>
        <translation>Vai trò:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat the password:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
</context>
<context>
    <name>Accounts</name>
    <message>
        <location filename="../../ui/login.py" line="+52"/>
        <source>Data entry</source>
        <translation>Nhập liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approver</source>
        <translation>Lãnh đạo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Use 2 to 64 unaccented letters, digits, dots, hyphens or underscores, starting with a letter or digit.</source>
        <translation>Dùng từ 2 đến 64 ký tự gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ hoặc số.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This user name is already taken.</source>
        <translation>Tên đăng nhập này đã có người dùng.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use at least {minimum} characters.</source>
        <translation>Cần ít nhất {minimum} ký tự.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use at most {maximum} characters.</source>
        <translation>Dùng tối đa {maximum} ký tự.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The password must not be the user name.</source>
        <translation>Mật khẩu không được trùng tên đăng nhập.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new password must differ from the current one.</source>
        <translation>Mật khẩu mới phải khác mật khẩu hiện tại.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp nhau.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fill in this field.</source>
        <translation>Hãy điền ô này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is the only active administrator; make another administrator first.</source>
        <translation>Đây là tài khoản quản trị duy nhất đang hoạt động; hãy chỉ định một quản trị khác trước.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You cannot deactivate your own account.</source>
        <translation>Không thể khóa tài khoản của chính mình.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The current password is wrong.</source>
        <translation>Mật khẩu hiện tại không đúng.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>An administrator must log in to do this.</source>
        <translation>Cần đăng nhập bằng tài khoản quản trị để làm việc này.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not allowed: your account has the {role} role; this needs: {roles}.</source>
        <translation>Không được phép: tài khoản của bạn có vai trò {role}; việc này cần vai trò: {roles}.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Could not save: {reason}</source>
        <translation>Không lưu được: {reason}</translation>
    </message>
</context>
<context>
    <name>AccountsSection</name>
    <message>
        <location filename="../../ui/accounts_section.py" line="+75"/>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Change password…</source>
        <translation>Đổi mật khẩu…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create an administrator account…</source>
        <translation>Tạo tài khoản quản trị…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked until</source>
        <translation>Tạm khóa đến</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add…</source>
        <translation>Thêm…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset password…</source>
        <translation>Đặt lại mật khẩu…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Change role…</source>
        <translation>Đổi vai trò…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+213"/>
        <source>Deactivate</source>
        <translation>Khóa tài khoản</translation>
    </message>
    <message>
        <location line="-169"/>
        <source>No one logs in: everyone works as “{user}” and roles are not checked. Create an administrator account to give each person their own login.</source>
        <translation>Chưa dùng đăng nhập: mọi người đều làm việc dưới tên “{user}” và không kiểm tra vai trò. Hãy tạo tài khoản quản trị để mỗi người có tài khoản đăng nhập riêng.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Working as “{user}”.</source>
        <translation>Đang làm việc dưới tên “{user}”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logged in as {username} ({role}).</source>
        <translation>Đã đăng nhập: {username} ({role}).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+66"/>
        <source>The password of {username} was reset.</source>
        <translation>Đã đặt lại mật khẩu của {username}.</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>{username} now has the {role} role.</source>
        <translation>{username} nay có vai trò {role}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{username} can no longer log in.</source>
        <translation>{username} không còn đăng nhập được nữa.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your password was changed.</source>
        <translation>Đã đổi mật khẩu của bạn.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The account {username} was created.</source>
        <translation>Đã tạo tài khoản {username}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The account {username} was created. From the next start, everyone logs in.</source>
        <translation>Đã tạo tài khoản {username}. Từ lần mở tới, mọi người phải đăng nhập.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose an account in the table first.</source>
        <translation>Hãy chọn một tài khoản trong bảng trước.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Change role</source>
        <translation>Đổi vai trò</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role of {username}:</source>
        <translation>Vai trò của {username}:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Deactivate the account {username}? It can no longer log in; its name stays in the audit trail.</source>
        <translation>Khóa tài khoản {username}? Tài khoản này sẽ không đăng nhập được nữa; tên vẫn được giữ trong nhật ký.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="+203"/>
        <source>The daily backup failed: {error}</source>
        <translation>Sao lưu hằng ngày không thành công: {error}</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Creating demo data…</source>
        <translation>Đang tạo dữ liệu mẫu…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>The database file is damaged.</source>
        <translation>Tệp dữ liệu bị hỏng.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{error}

Restore the last good backup, made on {time} ({records} records)? The damaged file is kept beside it.</source>
        <translation>{error}

Khôi phục bản sao lưu tốt gần nhất, lập lúc {time} ({records} bản ghi)? Tệp bị hỏng vẫn được giữ lại bên cạnh.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>CTMT Desktop cannot use this database file.</source>
        <translation>CTMT Desktop không dùng được tệp cơ sở dữ liệu này.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check that the file is a CTMT database, that no other program holds it and that the disk is neither full nor read-only.</source>
        <translation>Hãy kiểm tra xem tệp có đúng là cơ sở dữ liệu CTMT không, có chương trình nào khác đang giữ tệp không, và ổ đĩa có bị đầy hoặc chỉ cho phép đọc không.</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../ui/audit_page.py" line="+70"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record id</source>
        <translation>Mã bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+38"/>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Summary</source>
        <translation>Tóm tắt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Created</source>
        <translation>Thêm mới</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deleted</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported</source>
        <translation>Nhập từ tệp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>Phê duyệt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopened</source>
        <translation>Mở lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Package made</source>
        <translation>Lập gói báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restored from a backup</source>
        <translation>Khôi phục từ bản sao lưu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backed up</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logged in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login failed</source>
        <translation>Đăng nhập không thành công</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logged out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password changed</source>
        <translation>Đổi mật khẩu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password reset</source>
        <translation>Đặt lại mật khẩu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account created</source>
        <translation>Tạo tài khoản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account changed</source>
        <translation>Sửa tài khoản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency profile saved</source>
        <translation>Lưu thông tin cơ quan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target changed</source>
        <translation>Sửa chỉ tiêu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings changed</source>
        <translation>Sửa cài đặt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catalog installed</source>
        <translation>Cài danh mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt of the ministry imported</source>
        <translation>Nhập biên nhận của Bộ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The ministry&apos;s certificate set</source>
        <translation>Đặt chứng thư số của Bộ</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Target</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency profile</source>
        <translation>Thông tin cơ quan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Package</source>
        <translation>Gói báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backup</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>period {period}</source>
        <translation>kỳ {period}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Recorded as: {summary}</source>
        <translation>Nội dung lưu gốc: {summary}</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location line="+85"/>
        <source>All actions</source>
        <translation>Mọi thao tác</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All kinds</source>
        <translation>Mọi loại</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Search (user, record, summary…)</source>
        <translation>Tìm (người dùng, bản ghi, tóm tắt…)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Clear filters</source>
        <translation>Bỏ lọc</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>User:</source>
        <translation>Người dùng:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action:</source>
        <translation>Thao tác:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From:</source>
        <translation>Từ ngày:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To:</source>
        <translation>Đến ngày:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Newer</source>
        <translation>Mới hơn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Older</source>
        <translation>Cũ hơn</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Audit trail</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{first}–{last} of {total} entries</source>
        <translation>{first}–{last} trên {total} mục</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>any day</source>
        <translation>mọi ngày</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Everyone</source>
        <translation>Mọi người</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Select an entry to see its values.</source>
        <translation>Chọn một mục để xem giá trị trước và sau.</translation>
    </message>
</context>
<context>
    <name>AuditText</name>
    <message>
        <location filename="../../ui/audit_text.py" line="+153"/>
        <source>1 record</source>
        <translation>1 bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} records</source>
        <translation>{count} bản ghi</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Added record #{id}: {title}</source>
        <translation>Thêm bản ghi #{id}: {title}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Deleted record #{id}: {title}</source>
        <translation>Xóa bản ghi #{id}: {title}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Saved record #{id} without changes: {title}</source>
        <translation>Lưu bản ghi #{id} không thay đổi: {title}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{fields} and {count} more</source>
        <translation>{fields} và {count} trường khác</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Changed record #{id}: {title}; changed: {fields}</source>
        <translation>Sửa bản ghi #{id}: {title}; các trường đã sửa: {fields}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Imported {records} of {kind}</source>
        <translation>Nhập {records} {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported {records} of {kind} from {source}</source>
        <translation>Nhập {records} {kind} từ {source}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the file {file}, sheet “{sheet}”, rows {first}–{last}</source>
        <translation>tệp {file}, trang tính “{sheet}”, dòng {first}–{last}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Approved the data of period {period}</source>
        <translation>Phê duyệt số liệu kỳ báo cáo {period}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reopened period {period}</source>
        <translation>Mở lại kỳ báo cáo {period}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopened period {period}; reason: {reason}</source>
        <translation>Mở lại kỳ báo cáo {period}, lý do: {reason}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Made the data package of period {period}, version {version} ({records}); the period is locked</source>
        <translation>Lập gói dữ liệu kỳ báo cáo {period}, phiên bản {version} ({records}); kỳ báo cáo đã được khóa</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“{name}” logged in</source>
        <translation>Tài khoản “{name}” đăng nhập</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{name}” logged out</source>
        <translation>Tài khoản “{name}” đăng xuất</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Failed login as “{name}”: {reason}</source>
        <translation>Đăng nhập không thành công với tên “{name}”: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (failed attempt {count})</source>
        <translation> (lần sai thứ {count})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; locked until {time}</source>
        <translation>; tạm khóa đến {time}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unknown user name</source>
        <translation>tên đăng nhập không tồn tại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wrong password</source>
        <translation>sai mật khẩu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the account is locked for a while</source>
        <translation>tài khoản đang bị tạm khóa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the account is deactivated</source>
        <translation>tài khoản đã bị khóa</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{name}” changed their password</source>
        <translation>Tài khoản “{name}” đổi mật khẩu</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reset the password of “{name}”; it must be changed at the next login</source>
        <translation>Đặt lại mật khẩu của tài khoản “{name}”; phải đổi mật khẩu ở lần đăng nhập tới</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset the password of “{name}”</source>
        <translation>Đặt lại mật khẩu của tài khoản “{name}”</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Created the account “{name}” ({full_name}) with the role {role}</source>
        <translation>Tạo tài khoản “{name}” ({full_name}) với vai trò {role}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Created the account “{name}” with the role {role}</source>
        <translation>Tạo tài khoản “{name}” với vai trò {role}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Account “{name}”: role {old} → {new}</source>
        <translation>Tài khoản “{name}”: đổi vai trò {old} → {new}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reactivated the account “{name}”</source>
        <translation>Mở khóa tài khoản “{name}”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deactivated the account “{name}”</source>
        <translation>Khóa tài khoản “{name}”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Account “{name}”: full name changed to “{full_name}”</source>
        <translation>Tài khoản “{name}”: đổi họ và tên thành “{full_name}”</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved the agency profile: {name}, valid from {day}</source>
        <translation>Lưu thông tin cơ quan: {name}, hiệu lực từ ngày {day}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Deleted the target “{indicator}” of {program}, {period}</source>
        <translation>Xóa chỉ tiêu “{indicator}” của {program}, {period}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Set the target “{indicator}” of {program}, {period}: {value}</source>
        <translation>Đặt chỉ tiêu “{indicator}” của {program}, {period}: {value}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changed the target “{indicator}” of {program}, {period}: {old} → {new}</source>
        <translation>Sửa chỉ tiêu “{indicator}” của {program}, {period}: {old} → {new}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Backed up the data to {file} ({records})</source>
        <translation>Sao lưu dữ liệu vào tệp {file} ({records})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Backed up the data to {file}</source>
        <translation>Sao lưu dữ liệu vào tệp {file}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Restored the data of the backup {file}</source>
        <translation>Khôi phục dữ liệu từ bản sao lưu {file}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; the replaced database file is kept</source>
        <translation>; tệp dữ liệu bị thay thế vẫn được giữ lại</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Imported the ministry&apos;s receipt of period {period}, version {version}: {verdict}</source>
        <translation>Nhập biên nhận của Bộ về kỳ báo cáo {period}, phiên bản {version}: {verdict}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>; review: {state}</source>
        <translation>; kết quả thẩm định: {state}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>; comments on {records}</source>
        <translation>; ý kiến về {records}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>accepted</source>
        <translation>chấp nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>received, not yet reviewed</source>
        <translation>đã nhận, chưa thẩm định</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>has issues to fix</source>
        <translation>có nội dung cần sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>không chấp nhận</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Set the ministry&apos;s certificate: {holder}</source>
        <translation>Đặt chứng thư số của Bộ: {holder}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Record id</source>
        <translation>Mã bản ghi</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Records imported</source>
        <translation>Số bản ghi đã nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record ids</source>
        <translation>Các bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Id</source>
        <translation>Mã số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created at</source>
        <translation>Thời điểm tạo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created by</source>
        <translation>Người tạo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed at</source>
        <translation>Thời điểm sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed by</source>
        <translation>Người sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place names</source>
        <translation>Tên địa bàn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Must change the password</source>
        <translation>Phải đổi mật khẩu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed logins in a row</source>
        <translation>Số lần đăng nhập sai liên tiếp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked until</source>
        <translation>Tạm khóa đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved by</source>
        <translation>Người phê duyệt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved at</source>
        <translation>Thời điểm phê duyệt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked</source>
        <translation>Đã khóa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for reopening</source>
        <translation>Lý do mở lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Package id</source>
        <translation>Mã gói</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replaces package</source>
        <translation>Thay thế gói</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parts</source>
        <translation>Số phần</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>Số bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signer fingerprint (SHA-256)</source>
        <translation>Dấu vân tay người ký (SHA-256)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signer</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Province</source>
        <translation>Tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parent body</source>
        <translation>Cơ quan chủ quản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ministry</source>
        <translation>Bộ nhận báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency abbreviation</source>
        <translation>Tên viết tắt của cơ quan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title of the signer</source>
        <translation>Chức vụ người ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipients</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid from</source>
        <translation>Hiệu lực từ ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid to</source>
        <translation>Hiệu lực đến ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indicator</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target value</source>
        <translation>Giá trị chỉ tiêu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replaced database kept as</source>
        <translation>Tệp dữ liệu cũ được giữ tại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File fingerprint (SHA-256)</source>
        <translation>Dấu vân tay của tệp (SHA-256)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verdict</source>
        <translation>Kết luận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review</source>
        <translation>Thẩm định</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Ý kiến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed checks</source>
        <translation>Các bước kiểm tra không đạt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued at</source>
        <translation>Thời điểm cấp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder</source>
        <translation>Chủ sở hữu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject</source>
        <translation>Thông tin chủ thể</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprint (SHA-256)</source>
        <translation>Dấu vân tay (SHA-256)</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>approved</source>
        <translation>đã phê duyệt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>reopened</source>
        <translation>đã mở lại</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
</context>
<context>
    <name>BackupsSection</name>
    <message>
        <location filename="../../ui/backups_section.py" line="+78"/>
        <source>This backup names no agency. The data open now is that of {live}.</source>
        <translation>Bản sao lưu này không ghi tên cơ quan nào. Dữ liệu đang mở là của {live}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This backup holds the data of {backup}, not of {live} whose data is open now.</source>
        <translation>Bản sao lưu này chứa dữ liệu của {backup}, không phải của {live} (dữ liệu đang mở).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Backup of another agency</source>
        <translation>Bản sao lưu của cơ quan khác</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Restoring it replaces all the data open now with that data. The current database file is backed up first and kept beside it.

Restore this backup anyway?</source>
        <translation>Nếu khôi phục, toàn bộ dữ liệu đang mở sẽ được thay bằng dữ liệu đó. Tệp cơ sở dữ liệu hiện tại được sao lưu trước và giữ lại bên cạnh.

Vẫn khôi phục bản sao lưu này?</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+211"/>
        <source>Backups</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <location line="-204"/>
        <source>Back up now</source>
        <translation>Sao lưu ngay</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Records</source>
        <translation>Số bản ghi</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Restore…</source>
        <translation>Khôi phục…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Do not copy</source>
        <translation>Không sao chép</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>A backup is made automatically on the first start of each day, and before every upgrade and restore. A second folder, such as a USB drive, receives a copy of each backup made here and at start.</source>
        <translation>Dữ liệu được tự động sao lưu vào lần mở đầu tiên mỗi ngày, và trước mỗi lần nâng cấp hay khôi phục. Thư mục thứ hai (ví dụ ổ USB) nhận một bản sao của mỗi bản sao lưu tạo tại đây và khi khởi động.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last backup:</source>
        <translation>Lần sao lưu gần nhất:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Second folder:</source>
        <translation>Thư mục thứ hai:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>daily</source>
        <translation>hằng ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by hand</source>
        <translation>thủ công</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before a restore</source>
        <translation>trước khi khôi phục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before an upgrade</source>
        <translation>trước khi nâng cấp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before an import</source>
        <translation>trước khi nhập dữ liệu</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>none yet</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Choose the second backup folder</source>
        <translation>Chọn thư mục sao lưu thứ hai</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Backing up…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The backup is made, but it could not be copied to the second folder:</source>
        <translation>Đã sao lưu, nhưng không sao chép được sang thư mục thứ hai:</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Restore a backup</source>
        <translation>Khôi phục bản sao lưu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replace the data with the backup of {time} ({records} records)?

Everything entered since then will no longer be shown. The current database file is kept beside it and backed up first, so nothing is lost.</source>
        <translation>Thay dữ liệu hiện tại bằng bản sao lưu lúc {time} ({records} bản ghi)?

Những gì nhập sau thời điểm đó sẽ không còn hiển thị. Tệp cơ sở dữ liệu hiện tại được sao lưu trước và giữ lại bên cạnh, nên không mất gì.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../ui/login.py" line="+113"/>
        <source>Change password</source>
        <translation>Đổi mật khẩu</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Current password:</source>
        <translation>Mật khẩu hiện tại:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password:</source>
        <translation>Mật khẩu mới:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat the new password:</source>
        <translation>Nhập lại mật khẩu mới:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Account: {username}</source>
        <translation>Tài khoản: {username}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An administrator reset your password. Choose a new one that only you know.</source>
        <translation>Người quản trị đã đặt lại mật khẩu của bạn. Hãy chọn mật khẩu mới mà chỉ bạn biết.</translation>
    </message>
</context>
<context>
    <name>CommunePicker</name>
    <message>
        <location filename="../../ui/widgets.py" line="+491"/>
        <source>Type to add a commune, e.g. lao bao</source>
        <extracomment>What an empty optional date holds internally (shown as an empty box). The line inside a spin or date box is drawn by the box itself, not as a second frame.</extracomment>
        <translation>Gõ tên xã, phường để thêm, VD: lao bao</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a commune name, e.g. lao bao</source>
        <translation>Gõ tên xã, phường, VD: lao bao</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accents do not matter: “huong phung” finds “Xã Hướng Phùng”.</source>
        <translation>Không cần gõ dấu: “huong phung” vẫn tìm thấy “Xã Hướng Phùng”.</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>{name} (whole province)</source>
        <translation>{name} (toàn tỉnh)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name}, {parent} (before 01/07/2025)</source>
        <translation>{name}, {parent} (trước 01/07/2025)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} (before 01/07/2025)</source>
        <translation>{name} (trước 01/07/2025)</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Remove {name}</source>
        <translation>Bỏ chọn {name}</translation>
    </message>
</context>
<context>
    <name>CreateIdentityDialog</name>
    <message>
        <location filename="../../ui/signing.py" line="+271"/>
        <source>Create a self-issued signing identity</source>
        <translation>Tạo chứng thư ký số tự cấp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For a department without a USB token: the app makes a key pair and a certificate, kept in a file protected by a passphrase. Print the registration form, have the director sign and seal it, and send it to the ministry by post with the certificate file (.pem), so that the ministry recognises your packages.</source>
        <translation>Dành cho đơn vị chưa có USB ký số (token): ứng dụng tạo cặp khóa và chứng thư, lưu trong một tệp được bảo vệ bằng mật khẩu. In phiếu đăng ký, trình thủ trưởng ký và đóng dấu, rồi gửi Bộ qua đường bưu chính kèm tệp chứng thư (.pem) để Bộ nhận biết các gói dữ liệu của đơn vị.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>RSA 3072 bit (widest support)</source>
        <translation>RSA 3072 bit (tương thích rộng nhất)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EC P-256 (shorter signatures)</source>
        <translation>EC P-256 (chữ ký ngắn hơn)</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n năm</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Also save the registration form (PDF) beside it</source>
        <translation>Lưu kèm phiếu đăng ký (PDF) cùng thư mục</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name on the certificate:</source>
        <translation>Tên trên chứng thư:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Organisation:</source>
        <translation>Cơ quan, tổ chức:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key:</source>
        <translation>Loại khóa:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid for:</source>
        <translation>Thời hạn:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Passphrase:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Passphrase again:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as:</source>
        <translation>Lưu tại:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>At least {count} characters. Whoever has the file and the passphrase can sign in the department&apos;s name; a lost passphrase cannot be recovered.</source>
        <translation>Ít nhất {count} ký tự. Ai có tệp và mật khẩu đều ký được nhân danh đơn vị; mật khẩu bị quên thì không khôi phục được.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Create</source>
        <translation>Tạo</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Save the signing identity</source>
        <translation>Lưu chứng thư ký số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PKCS#12 (*.p12)</source>
        <translation>PKCS#12 (*.p12)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Enter the name the certificate carries.</source>
        <translation>Nhập tên ghi trên chứng thư.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The passphrase must have at least {count} characters.</source>
        <translation>Mật khẩu phải có ít nhất {count} ký tự.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The two passphrases differ.</source>
        <translation>Hai lần nhập mật khẩu không khớp nhau.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose where to save the identity file.</source>
        <translation>Chọn nơi lưu tệp chứng thư ký số.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A file with this name exists; choose another name (an identity is never overwritten).</source>
        <translation>Đã có tệp trùng tên; hãy chọn tên khác (chứng thư ký số không bao giờ bị ghi đè).</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../ui/dashboard_page.py" line="+681"/>
        <source>Phase {phase}</source>
        <translation>Giai đoạn {phase}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Whole year</source>
        <translation>Cả năm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First half</source>
        <translation>6 tháng đầu năm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Second half</source>
        <translation>6 tháng cuối năm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter I</source>
        <translation>Quý I</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter II</source>
        <translation>Quý II</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter III</source>
        <translation>Quý III</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter IV</source>
        <translation>Quý IV</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All programs</source>
        <translation>Tất cả chương trình</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compute the figures again from the records</source>
        <translation>Tính lại số liệu từ các bản ghi</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Program:</source>
        <translation>Chương trình:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No records in this period.</source>
        <translation>Không có bản ghi nào trong kỳ này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Participant-times by year</source>
        <translation>Số lượt người theo năm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Funding plan and disbursement by source</source>
        <translation>Kế hoạch vốn và giải ngân theo nguồn vốn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Media outputs by type and unit</source>
        <translation>Sản phẩm truyền thông theo loại và đơn vị tính</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Commune radio stations by technology</source>
        <translation>Đài truyền thanh cấp xã theo công nghệ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Information clusters by status</source>
        <translation>Cụm thông tin theo tình trạng</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Dashboard</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>all programs</source>
        <translation>tất cả chương trình</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From {start} to {end} · {program}</source>
        <translation>Từ {start} đến {end} · {program}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Calculating…</source>
        <translation>Đang tính…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The figures could not be computed.</source>
        <translation>Không tính được số liệu.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Click to see the records behind it.</source>
        <translation>Bấm để xem các bản ghi tạo nên số liệu này.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{year} target: {target}</source>
        <translation>Chỉ tiêu năm {year}: {target}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target: {target}</source>
        <translation>Chỉ tiêu: {target}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{target} · {share} reached</source>
        <translation>{target} · đạt {share}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>targets differ by program: choose one</source>
        <translation>chỉ tiêu khác nhau giữa các chương trình: chọn một chương trình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no target set</source>
        <translation>chưa giao chỉ tiêu</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No commune assessed yet</source>
        <translation>Chưa có xã nào được đánh giá</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{met} of {communes} communes, assessed in {year}</source>
        <translation>{met}/{communes} xã đạt, đánh giá năm {year}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{covered} of {hamlets} hamlets have loudspeakers</source>
        <translation>{covered}/{hamlets} thôn, bản có loa</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} of {stations} commune radio stations</source>
        <translation>{count}/{stations} đài truyền thanh cấp xã</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No cluster recorded yet</source>
        <translation>Chưa ghi nhận cụm thông tin nào</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>of {total} clusters recorded</source>
        <translation>trong số {total} cụm đã ghi nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No trainee in this period</source>
        <translation>Không có học viên trong kỳ này</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No class in this period</source>
        <translation>Không có lớp nào trong kỳ này</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{per_class} participant-times per class</source>
        <translation>Bình quân {per_class} lượt người/lớp</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>in {classes} training classes</source>
        <translation>trong {classes} lớp tập huấn, bồi dưỡng</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{women} women of {participants} participant-times</source>
        <translation>{women}/{participants} lượt người là nữ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{ethnic} of {participants} participant-times</source>
        <translation>{ethnic}/{participants} lượt người là người DTTS</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>at {events} conferences, talks and dialogues</source>
        <translation>tại {events} hội nghị, tọa đàm, đối thoại</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>of {types} types</source>
        <translation>thuộc {types} loại</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in {records} deliveries</source>
        <translation>qua {records} lượt hỗ trợ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{disbursed} of {plan} billion đồng planned</source>
        <translation>Giải ngân {disbursed}/{plan} tỷ đồng kế hoạch</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Stations by their latest record up to {day}</source>
        <translation>Số đài theo bản ghi mới nhất đến ngày {day}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Clusters by their latest record up to {day}</source>
        <translation>Số cụm theo bản ghi mới nhất đến ngày {day}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Training and events, {first}–{last}; click a bar to see its records</source>
        <translation>Tập huấn và sự kiện, {first}–{last}; bấm vào cột để xem bản ghi</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Training</source>
        <translation>Tập huấn, bồi dưỡng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conferences and events</source>
        <translation>Hội nghị, sự kiện</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Billion đồng, plans of {years}; click a bar to see its records</source>
        <translation>Tỷ đồng, kế hoạch vốn {years}; bấm vào cột để xem bản ghi</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Disbursed</source>
        <translation>Đã giải ngân</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plan</source>
        <translation>Kế hoạch</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>One chart per unit, each on its own scale; click a bar to see its records</source>
        <translation>Mỗi đơn vị tính một biểu đồ, thang đo riêng; bấm vào cột để xem bản ghi</translation>
    </message>
</context>
<context>
    <name>DbLane</name>
    <message>
        <location filename="../../ui/db_lane.py" line="+144"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>ErrorReport</name>
    <message>
        <location line="+82"/>
        <source>Cannot complete the operation</source>
        <translation>Không thực hiện được thao tác</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unexpected error</source>
        <translation>Lỗi ngoài dự kiến</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Something went wrong inside CTMT Desktop. Nothing was saved by the operation. Please send the details below to your IT support.</source>
        <translation>Đã xảy ra lỗi bên trong CTMT Desktop. Thao tác này chưa lưu gì. Vui lòng gửi thông tin chi tiết dưới đây cho bộ phận hỗ trợ CNTT.</translation>
    </message>
</context>
<context>
    <name>EvidenceList</name>
    <message>
        <location filename="../../ui/widgets.py" line="+439"/>
        <source>Attach…</source>
        <translation>Đính kèm…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Gỡ bỏ</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Attach evidence files</source>
        <translation>Đính kèm tệp minh chứng</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Photos, scans and documents (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx *.odt *.ods);;All files (*)</source>
        <translation>Ảnh, bản quét và văn bản (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx *.odt *.ods);;Tất cả các tệp (*)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>{path}
Stored with the record when you save it.</source>
        <translation>{path}
Sẽ được lưu cùng bản ghi khi bạn lưu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stored evidence file {hash}</source>
        <translation>Tệp minh chứng đã lưu {hash}</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../ui/first_start.py" line="+66"/>
        <source>Set up your agency</source>
        <translation>Thiết lập thông tin cơ quan</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Before you start, tell CTMT Desktop which agency sends the reports. The names can be changed later; the province cannot.</source>
        <translation>Trước khi bắt đầu, hãy cho CTMT Desktop biết cơ quan gửi báo cáo. Các tên gọi có thể sửa lại sau; tỉnh, thành phố thì không đổi được.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. Department of Culture, Sports and Tourism of … province</source>
        <translation>VD: Sở Văn hóa, Thể thao và Du lịch tỉnh …</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the province or city</source>
        <translation>Chọn tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>e.g. People&apos;s Committee of … province</source>
        <translation>VD: Ủy ban nhân dân tỉnh …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e.g. Ministry of Culture, Sports and Tourism</source>
        <translation>VD: Bộ Văn hóa, Thể thao và Du lịch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load demo data (sample records to try the app)</source>
        <translation>Nạp dữ liệu mẫu (các bản ghi mẫu để dùng thử)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Agency name:</source>
        <translation>Tên cơ quan:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Province or city:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Parent body:</source>
        <translation>Cơ quan chủ quản:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ministry:</source>
        <translation>Bộ nhận báo cáo:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e.g. lan.nguyen</source>
        <translation>ví dụ: lan.nguyen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Administrator account</source>
        <translation>Tài khoản quản trị</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The administrator manages the accounts of the staff and the settings. Each person then logs in with their own account. Leave these fields empty to work without logging in.</source>
        <translation>Người quản trị quản lý tài khoản của cán bộ và phần cài đặt. Sau đó mỗi người đăng nhập bằng tài khoản riêng. Để trống các ô này nếu muốn dùng mà không cần đăng nhập.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat the password:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fields marked * are required.</source>
        <translation>Các trường có dấu * là bắt buộc.</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>The profile could not be saved: {reason}</source>
        <translation>Không lưu được thông tin cơ quan: {reason}</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Enter the name of your agency.</source>
        <translation>Hãy nhập tên cơ quan.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use at most {maximum} characters.</source>
        <translation>Tối đa {maximum} ký tự.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose your province or city from the list.</source>
        <translation>Hãy chọn tỉnh, thành phố trong danh sách.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This database belongs to another province; its province cannot be changed.</source>
        <translation>Cơ sở dữ liệu này thuộc tỉnh, thành phố khác; không thể đổi tỉnh, thành phố của nó.</translation>
    </message>
</context>
<context>
    <name>IndicatorChecks</name>
    <message>
        <location filename="../../ui/widgets.py" line="-150"/>
        <source>Choose the criterion set first.</source>
        <translation>Hãy chọn bộ tiêu chí trước.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The indicators of this criterion set are not in the catalog yet; install a newer catalog to assess it.</source>
        <translation>Danh mục chưa có các chỉ tiêu của bộ tiêu chí này; hãy cài đặt danh mục mới hơn để đánh giá.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="-76"/>
        <source>Log in — {app}</source>
        <translation>Đăng nhập — {app}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in with your account.</source>
        <translation>Đăng nhập bằng tài khoản của bạn.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Locked for now; try again in {seconds} seconds.</source>
        <translation>Tạm khóa, thử lại sau {seconds} giây.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This account is deactivated; ask an administrator.</source>
        <translation>Tài khoản này đã bị khóa; hãy liên hệ người quản trị.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong user name or password.</source>
        <translation>Tên đăng nhập hoặc mật khẩu không đúng.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot log in: {reason}</source>
        <translation>Không đăng nhập được: {reason}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+194"/>
        <source>Dashboard</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit trail</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports and Excel</source>
        <translation>Báo cáo và Excel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submissions</source>
        <translation>Gói dữ liệu gửi Bộ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>Restored the data of the backup {name}.</source>
        <translation>Đã khôi phục dữ liệu từ bản sao lưu {name}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The replaced database file is kept as {path}.</source>
        <translation>Tệp cơ sở dữ liệu bị thay thế được giữ lại tại {path}.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Backup restored</source>
        <translation>Đã khôi phục bản sao lưu</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Period: {period}</source>
        <translation>Kỳ báo cáo: {period}</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Database: {path}</source>
        <translation>Tệp dữ liệu: {path}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last backup: none yet</source>
        <translation>Sao lưu gần nhất: chưa có</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last backup: {time}</source>
        <translation>Sao lưu gần nhất: {time}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
</context>
<context>
    <name>Ministry</name>
    <message>
        <location filename="../../ui/ministry/common.py" line="+89"/>
        <source>On time</source>
        <extracomment>(background, text) of each reporting state: on time green, late amber, refused red, missing grey; pale backgrounds so that the text stays readable. The strong colour of each state (legends, chart bars, card accents). (background, text) of each intake verdict.</extracomment>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Late</source>
        <translation>Muộn</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+19"/>
        <source>Refused</source>
        <translation>Bị từ chối</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Missing</source>
        <translation>Chưa nhận</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Accepted, replaces v{version}</source>
        <translation>Đã nhận, thay thế v{version}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Accepted</source>
        <translation>Đã nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate: nothing changed</source>
        <translation>Trùng: không thay đổi gì</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not reviewed yet</source>
        <translation>Chưa xem xét</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted after review</source>
        <translation>Đã chấp nhận sau xem xét</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Has issues</source>
        <translation>Có vấn đề cần sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>Không chấp nhận</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Current</source>
        <translation>Hiện hành</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Superseded</source>
        <translation>Đã bị thay thế</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Phase {phase}</source>
        <translation>Giai đoạn {phase}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Year {year}</source>
        <translation>Năm {year}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>First half of {year}</source>
        <translation>6 tháng đầu năm {year}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Second half of {year}</source>
        <translation>6 tháng cuối năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter {quarter} of {year}</source>
        <translation>Quý {quarter} năm {year}</translation>
    </message>
</context>
<context>
    <name>MinistryNameDialog</name>
    <message>
        <location filename="../../ui/ministry/startup.py" line="+65"/>
        <source>The ministry&apos;s name</source>
        <extracomment>The provinces&apos; demo databases, identities and packages, beside the demo store.</extracomment>
        <translation>Tên Bộ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This national store has no name yet. Which ministry receives the provinces&apos; packages? The name heads the national report and can be changed in Settings.</source>
        <translation>Kho dữ liệu quốc gia này chưa có tên. Bộ nào tiếp nhận gói dữ liệu của các tỉnh, thành phố? Tên Bộ được in ở đầu báo cáo tổng hợp và có thể sửa trong phần Cài đặt.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Type the ministry&apos;s name.</source>
        <translation>Hãy nhập tên Bộ.</translation>
    </message>
</context>
<context>
    <name>MinistrySettingsPage</name>
    <message>
        <location filename="../../ui/ministry/settings_page.py" line="+61"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Interface language:</source>
        <translation>Ngôn ngữ giao diện:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Printed at the head of the national report and kept in the store, so every member of staff sees the same name.</source>
        <translation>In ở đầu báo cáo tổng hợp toàn quốc và lưu trong kho dữ liệu, để mọi cán bộ đều thấy cùng một tên.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The ministry</source>
        <translation>Bộ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>SQLite file</source>
        <translation>Tệp SQLite</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PostgreSQL server</source>
        <translation>Máy chủ PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>National store</source>
        <translation>Kho dữ liệu quốc gia</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Location:</source>
        <translation>Vị trí:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>To open another store, start the app with --ministry --store followed by a file path, or by postgresql+psycopg://user@server/database for a server shared by several staff.</source>
        <translation>Để mở kho dữ liệu khác, khởi động ứng dụng với --ministry --store kèm đường dẫn tệp, hoặc kèm postgresql+psycopg://người-dùng@máy-chủ/cơ-sở-dữ-liệu với máy chủ dùng chung cho nhiều cán bộ.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Type the ministry&apos;s name.</source>
        <translation>Hãy nhập tên Bộ.</translation>
    </message>
</context>
<context>
    <name>MinistryStartup</name>
    <message>
        <location filename="../../ui/ministry/startup.py" line="+23"/>
        <source>Building the demo national desk: the signed package of {province} ({done} of {total})…</source>
        <translation>Đang tạo dữ liệu mẫu cấp Bộ: gói dữ liệu có chữ ký số của {province} ({done}/{total})…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Building the demo national desk…</source>
        <translation>Đang tạo dữ liệu mẫu cấp Bộ…</translation>
    </message>
</context>
<context>
    <name>MinistryWindow</name>
    <message>
        <location filename="../../ui/ministry/window.py" line="+150"/>
        <source>Reporting status</source>
        <extracomment>The page shown at the first start. A gap in the navigation after these pages (what is seen, what is done, the settings).</extracomment>
        <translation>Tình hình báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>National dashboard</source>
        <translation>Tổng hợp toàn quốc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receive</source>
        <translation>Tiếp nhận gói</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submissions</source>
        <translation>Gói đã nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signers</source>
        <translation>Chứng thư ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Period shown: {period}</source>
        <translation>Kỳ đang xem: {period}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Store: {location}</source>
        <translation>Kho dữ liệu: {location}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
</context>
<context>
    <name>NationalDashboardPage</name>
    <message>
        <location filename="../../ui/ministry/dashboard_page.py" line="+238"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Preview the report</source>
        <translation>Xem trước báo cáo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the report (PDF)…</source>
        <translation>Lưu báo cáo (PDF)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the Excel forms…</source>
        <translation>Lưu biểu mẫu Excel…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Provinces that reported</source>
        <translation>Tỉnh, thành phố đã báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Late</source>
        <translation>Muộn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not reported</source>
        <translation>Chưa báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records received</source>
        <translation>Bản ghi đã nhận</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The provinces compared</source>
        <translation>So sánh các tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No province has reported yet.</source>
        <translation>Chưa tỉnh, thành phố nào báo cáo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Indicator:</source>
        <translation>Chỉ tiêu:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Key indicators by province</source>
        <translation>Các chỉ tiêu chính theo tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>National dashboard</source>
        <translation>Tổng hợp toàn quốc</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+5"/>
        <source>Computing the national figures…</source>
        <translation>Đang tính số liệu toàn quốc…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>No package received yet: the figures appear here once the provinces&apos; packages are received.</source>
        <translation>Chưa nhận gói dữ liệu nào: số liệu sẽ hiện ở đây khi đã tiếp nhận gói của các tỉnh, thành phố.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>From {start} to {end}. Each province&apos;s figures are computed with the province&apos;s own report code over the records received; the national total adds the counts and recomputes the shares.</source>
        <translation>Từ {start} đến {end}. Số liệu của mỗi tỉnh, thành phố được tính bằng chính cách tính của báo cáo tỉnh trên các bản ghi đã nhận; dòng Toàn quốc cộng các số lượng và tính lại các tỷ lệ.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Click to see the reporting status.</source>
        <translation>Bấm để xem tình hình báo cáo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>with packages in the phase</source>
        <translation>có gói dữ liệu trong giai đoạn</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>per period only</source>
        <translation>chỉ tính theo từng kỳ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>reporting rate {rate}%</source>
        <translation>tỷ lệ báo cáo {rate}%</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>on-time rate {rate}%</source>
        <translation>tỷ lệ đúng hạn {rate}%</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>signed after the deadline</source>
        <translation>ký sau hạn báo cáo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{missing} missing, {refused} refused</source>
        <translation>{missing} chưa nhận, {refused} bị từ chối</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>in {count} current packages</source>
        <translation>trong {count} gói hiện hành</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{count} provinces, largest first</source>
        <translation>{count} tỉnh, thành phố, lớn nhất ở trên</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Province</source>
        <translation>Tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Records</source>
        <translation>Số bản ghi</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>National total</source>
        <translation>Toàn quốc</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Every program; the national total adds the counts and recomputes the shares from their parts, as the national report does.</source>
        <translation>Tất cả chương trình; dòng Toàn quốc cộng các số lượng và tính lại các tỷ lệ từ tử số và mẫu số, như báo cáo tổng hợp.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Training
classes</source>
        <translation>Lớp
tập huấn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainee
times</source>
        <translation>Lượt người
tập huấn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Women
(%)</source>
        <translation>Nữ
(%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event
participants</source>
        <translation>Lượt người
dự sự kiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Media
outputs</source>
        <translation>Sản phẩm
truyền thông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Devices
delivered</source>
        <translation>Phương tiện
nghe xem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hamlets with
loudspeakers (%)</source>
        <translation>Thôn có
loa (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clusters
operating</source>
        <translation>Cụm thông tin
hoạt động</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Communes meeting
the ICT criterion (%)</source>
        <translation>Xã đạt tiêu chí
TT-TT (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disbursement
(%)</source>
        <translation>Giải ngân
(%)</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>National report — {period}</source>
        <translation>Báo cáo tổng hợp — {period}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Making the national report…</source>
        <translation>Đang lập báo cáo tổng hợp…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save the national report</source>
        <translation>Lưu báo cáo tổng hợp</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF document (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Saved {path}.</source>
        <translation>Đã lưu {path}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saving the national report…</source>
        <translation>Đang lưu báo cáo tổng hợp…</translation>
    </message>
</context>
<context>
    <name>NationalRecordsModel</name>
    <message>
        <location filename="../../ui/ministry/submissions_page.py" line="+118"/>
        <source>Yes</source>
        <extracomment>Records of one kind shown at once in a detail (the count tells how many match). Milliseconds after the last key press before a search runs.</extracomment>
        <translation>Có</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
</context>
<context>
    <name>PeriodWords</name>
    <message>
        <location filename="../../ui/period_words.py" line="+30"/>
        <source>year {year}</source>
        <translation>năm {year}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>phase {first}–{last}</source>
        <translation>giai đoạn {first}–{last}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>first half of {year}</source>
        <translation>6 tháng đầu năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>second half of {year}</source>
        <translation>6 tháng cuối năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarter I of {year}</source>
        <translation>quý I năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarter II of {year}</source>
        <translation>quý II năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarter III of {year}</source>
        <translation>quý III năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarter IV of {year}</source>
        <translation>quý IV năm {year}</translation>
    </message>
</context>
<context>
    <name>ProgramPicker</name>
    <message>
        <location filename="../../ui/widgets.py" line="-277"/>
        <source>Choose a program, project or content line</source>
        <translation>Chọn chương trình, dự án hoặc nội dung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Program, project, content line</source>
        <translation>Chương trình, dự án, nội dung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>All program nodes.</source>
        <translation>Tất cả chương trình/dự án.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nodes valid from {start} to {end}. Change the record&apos;s dates to see other programs.</source>
        <translation>Các chương trình/dự án có hiệu lực từ {start} đến {end}. Đổi ngày của bản ghi để xem các chương trình khác.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>{program} (not valid on these dates)</source>
        <translation>{program} (không có hiệu lực vào các ngày này)</translation>
    </message>
</context>
<context>
    <name>ReceivePage</name>
    <message>
        <location filename="../../ui/ministry/receive_page.py" line="+85"/>
        <source>Choose the packages the provinces sent: the zip files (a package split for email: all its numbered parts) or a folder such as a USB drive; you can also drop them here. Each package passes every check of the verifier, then its signer must be registered for the province it claims and its version must be newer than the one stored. A refused package is recorded with its reasons; nothing of it is stored.</source>
        <translation>Chọn các gói dữ liệu các tỉnh, thành phố gửi về: tệp zip (gói chia nhỏ để gửi thư điện tử: chọn đủ các phần đánh số) hoặc một thư mục như ổ USB; cũng có thể kéo thả vào đây. Mỗi gói phải qua mọi bước kiểm tra, người ký phải được đăng ký cho đúng tỉnh, thành phố ghi trong gói và phiên bản phải mới hơn phiên bản đang lưu. Gói bị từ chối được ghi lại cùng lý do; không dữ liệu nào của gói đó được lưu.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Receive files…</source>
        <translation>Tiếp nhận tệp…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Receive a folder or drive…</source>
        <translation>Tiếp nhận thư mục hoặc ổ đĩa…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>CA root certificates to trust (optional)</source>
        <translation>Chứng thư gốc CA được tin cậy (không bắt buộc)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add…</source>
        <translation>Thêm…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove</source>
        <translation>Gỡ bỏ</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Only for provinces whose certificates a CA issued (Viettel-CA, VNPT-CA…): their signatures must chain to one of these roots. Self-issued certificates are trusted by their registration on the Signers page.</source>
        <translation>Chỉ dùng cho tỉnh, thành phố có chứng thư do tổ chức CA cấp (Viettel-CA, VNPT-CA…): chữ ký phải dẫn về một trong các chứng thư gốc này. Chứng thư tự cấp được tin cậy nhờ đã đăng ký ở trang Chứng thư ký.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No package received in this session yet.</source>
        <translation>Chưa tiếp nhận gói nào trong phiên làm việc này.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verdict</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Province</source>
        <translation>Tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>Kỳ báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>Số bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed checks</source>
        <translation>Bước kiểm tra không đạt</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Receive</source>
        <translation>Tiếp nhận gói</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose the packages (all the parts of a split one)</source>
        <translation>Chọn các gói dữ liệu (với gói chia nhỏ: chọn đủ các phần)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Packages (*.zip *.zip.*);;All files (*)</source>
        <translation>Gói dữ liệu (*.zip *.zip.*);;Mọi tệp (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the folder or drive that holds the packages</source>
        <translation>Chọn thư mục hoặc ổ đĩa chứa các gói dữ liệu</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose the CA root certificates</source>
        <translation>Chọn chứng thư gốc của CA</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates (*.pem *.cer *.crt *.der)</source>
        <translation>Chứng thư (*.pem *.cer *.crt *.der)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Looking for packages…</source>
        <translation>Đang tìm các gói dữ liệu…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Receiving the packages…</source>
        <translation>Đang tiếp nhận các gói dữ liệu…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Checking {file}…</source>
        <translation>Đang kiểm tra {file}…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>No package found there: a package is a .zip file or its numbered parts.</source>
        <translation>Không tìm thấy gói dữ liệu nào: gói là một tệp .zip hoặc các phần đánh số của nó.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} accepted</source>
        <translation>{count} gói được nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} accepted as a new version</source>
        <translation>{count} gói được nhận làm phiên bản mới</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} received already</source>
        <translation>{count} gói đã nhận từ trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} refused</source>
        <translation>{count} gói bị từ chối</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{count} packages: {verdicts}.</source>
        <translation>{count} gói: {verdicts}.</translation>
    </message>
</context>
<context>
    <name>ReceivedSubmissionsPage</name>
    <message>
        <location filename="../../ui/ministry/submissions_page.py" line="+645"/>
        <source>All periods</source>
        <translation>Mọi kỳ báo cáo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All provinces</source>
        <translation>Mọi tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Current versions only</source>
        <translation>Chỉ phiên bản hiện hành</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Province:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Submissions</source>
        <translation>Gói đã nhận</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>{count} submissions</source>
        <translation>{count} gói</translation>
    </message>
</context>
<context>
    <name>RecordForm</name>
    <message>
        <location filename="../../ui/record_form.py" line="+143"/>
        <source>Edit record — {kind}</source>
        <extracomment>Fields shown in the left-hand &quot;general&quot; group, in order (when the kind has them). The record&apos;s own status (draft or confirmed) sits in the footer beside Save, apart from the fields about the activity (a cluster&apos;s operating status among them). The ministry&apos;s comments on the record, above its fields.</extracomment>
        <translation>Sửa bản ghi — {kind}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate as new record — {kind}</source>
        <translation>Nhân bản thành bản ghi mới — {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New record — {kind}</source>
        <translation>Bản ghi mới — {kind}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>General information</source>
        <translation>Thông tin chung</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Notes and evidence</source>
        <translation>Ghi chú và minh chứng</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Save the record (Ctrl+S)</source>
        <translation>Lưu bản ghi (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fields marked * are required.</source>
        <translation>Các trường có dấu * là bắt buộc.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Record status:</source>
        <translation>Trạng thái bản ghi:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Draft records are not yet official; confirm a record once checked.</source>
        <translation>Bản ghi nháp chưa phải số liệu chính thức; xác nhận bản ghi sau khi đã kiểm tra.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>version {version} of {period}</source>
        <translation>phiên bản {version} kỳ {period}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The ministry&apos;s comment ({where}): {comment}</source>
        <translation>Ý kiến của Bộ ({where}): {comment}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Answered by a later version — the ministry had said ({where}): {comment}</source>
        <translation>Đã giải trình ở phiên bản sau — Bộ đã góp ý ({where}): {comment}</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>e.g. {gate}</source>
        <translation>VD: {gate}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Leave empty when the activity lasts one day.</source>
        <translation>Để trống nếu hoạt động diễn ra trong một ngày.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave empty to cover the whole year.</source>
        <translation>Để trống nếu áp dụng cho cả năm.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>Entered by {created_by} on {created}; last changed by {updated_by} on {updated}.</source>
        <translation>Người nhập: {created_by} ({created}); người sửa gần nhất: {updated_by} ({updated}).</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>Saving the record…</source>
        <translation>Đang lưu bản ghi…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Possible duplicate</source>
        <translation>Có thể trùng bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A record with the same title, start date and place already exists.</source>
        <translation>Đã có bản ghi cùng tên hoạt động, ngày bắt đầu và địa bàn.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Existing: {records}. Save this record anyway?</source>
        <translation>Bản ghi đã có: {records}. Vẫn lưu bản ghi này?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save anyway</source>
        <translation>Vẫn lưu</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Name the border gate of a cluster at a border gate.</source>
        <translation>Hãy nhập tên cửa khẩu đối với cụm thông tin tại cửa khẩu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose at least one commune.</source>
        <translation>Hãy chọn ít nhất một xã, phường.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill in this field.</source>
        <translation>Không được để trống trường này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use at most {limit} characters.</source>
        <translation>Tối đa {limit} ký tự.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This value cannot be read.</source>
        <translation>Không đọc được giá trị này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter a whole number of đồng.</source>
        <translation>Hãy nhập số tiền là số nguyên (đồng).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The number may not be negative.</source>
        <translation>Không được nhập số âm.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter at least {minimum}.</source>
        <translation>Hãy nhập tối thiểu {minimum}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter at most {maximum}.</source>
        <translation>Hãy nhập tối đa {maximum}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose a value from the list.</source>
        <translation>Hãy chọn một giá trị trong danh sách.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A record of this kind concerns one commune only.</source>
        <translation>Loại bản ghi này chỉ áp dụng cho một xã, phường.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{code} is not an administrative unit.</source>
        <translation>{code} không phải là đơn vị hành chính.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{place} is not in the department&apos;s province.</source>
        <translation>{place} không thuộc địa bàn tỉnh của cơ quan.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{place} ceased to exist on 01/07/2025; choose the current commune for activities from that day.</source>
        <translation>{place} không còn tồn tại từ ngày 01/07/2025; với hoạt động từ ngày này trở đi, hãy chọn xã, phường hiện nay.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{place} is not a commune; choose a commune.</source>
        <translation>{place} không phải đơn vị hành chính cấp xã; hãy chọn xã, phường.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The end date is before the start date.</source>
        <translation>Ngày kết thúc trước ngày bắt đầu.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{field} ({value}) is more than {total_field} ({total}).</source>
        <translation>{field} ({value}) lớn hơn {total_field} ({total}).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This program node is valid from {start} to {end}, not on the record&apos;s dates.</source>
        <translation>Chương trình/dự án này chỉ có hiệu lực từ {start} đến {end}, không bao gồm ngày của bản ghi.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Commune level and village level together exceed the participant-times ({total}).</source>
        <translation>Tổng số cấp xã và cấp thôn, bản vượt quá số lượt người tham dự ({total}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A class of this program lasts at most {maximum} days.</source>
        <translation>Lớp thuộc chương trình này kéo dài tối đa {maximum} ngày.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The start date does not fall in the year {year}.</source>
        <translation>Ngày bắt đầu không thuộc năm {year}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This criterion set does not apply in the chosen year.</source>
        <translation>Bộ tiêu chí này không áp dụng cho năm đã chọn.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The indicators of this criterion set are not in the catalog yet; install a newer catalog.</source>
        <translation>Danh mục chưa có các chỉ tiêu của bộ tiêu chí này; hãy cài đặt danh mục mới hơn.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give a result for every indicator of the criterion set.</source>
        <translation>Hãy nhập kết quả cho mọi chỉ tiêu của bộ tiêu chí.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The date is before the plan year.</source>
        <translation>Ngày này trước năm kế hoạch.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An evidence file is missing from the evidence folder.</source>
        <translation>Thiếu một tệp minh chứng trong thư mục minh chứng.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Discard changes?</source>
        <translation>Bỏ các thay đổi?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record has changes that were not saved. Close the form anyway?</source>
        <translation>Bản ghi có thay đổi chưa được lưu. Vẫn đóng biểu mẫu?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard changes</source>
        <translation>Bỏ thay đổi</translation>
    </message>
</context>
<context>
    <name>RecordTableModel</name>
    <message>
        <location filename="../../ui/records_model.py" line="+360"/>
        <source>The ministry: {comment}</source>
        <extracomment>Pages kept in memory; the oldest is dropped first (5,000 rows of display text). The columns a table of each kind shows by default, in order (the kind&apos;s other fields follow, hidden until the user shows them): the title, the date and place and each kind&apos;s key figures, so that they fit a table about 1,000 px wide (a 1366 px screen beside the sidebar) without scrolling sideways. The program is a column the user can show; printed lists choose their own columns (``reports.figures.default_list_columns``). Columns derived from a record rather than stored as a field of its kind. Shorter column headings (English, Vietnamese) where a field&apos;s label is a sentence; the heading&apos;s tooltip gives the whole label. The ministry&apos;s open comments (record id → text), marked on the title column.</extracomment>
        <translation>Ý kiến của Bộ: {comment}</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <location filename="../../ui/records_page.py" line="+262"/>
        <source>Save the list</source>
        <extracomment>Milliseconds of quiet typing before the search runs (one query, not one per keystroke). The least a column of these types is sized for, whatever the first page holds. Widest a text column starts (it can be dragged wider; the title takes what is left). Narrowest the stretching title column gets before the table scrolls sideways. Rows of the first page whose texts size the columns.</extracomment>
        <translation>Lưu danh sách</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF document (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving the list…</source>
        <translation>Đang lưu danh sách…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New</source>
        <translation>Thêm mới</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a record (Ctrl+N)</source>
        <translation>Thêm bản ghi (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit the selected record (Enter or double-click)</source>
        <translation>Sửa bản ghi đang chọn (Enter hoặc bấm đúp)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate as new</source>
        <translation>Nhân bản</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a new record filled with the selected one&apos;s values</source>
        <translation>Mở bản ghi mới điền sẵn các giá trị của bản ghi đang chọn</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+377"/>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location line="-374"/>
        <source>Delete the selected records (Delete)</source>
        <translation>Xóa các bản ghi đang chọn (Delete)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Print list…</source>
        <translation>In danh sách…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A PDF of the records shown, with these filters and columns</source>
        <translation>Tệp PDF các bản ghi đang hiển thị, theo bộ lọc và các cột này</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export to Excel…</source>
        <translation>Xuất Excel…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Columns…</source>
        <translation>Cột…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Search title, place, unit or program code</source>
        <translation>Tìm theo tên hoạt động, địa bàn, đơn vị hoặc mã chương trình</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search (Ctrl+F). Accents and capitals do not matter: “duc” finds “Đức”.</source>
        <translation>Tìm kiếm (Ctrl+F). Không phân biệt dấu và chữ hoa: “duc” vẫn tìm thấy “Đức”.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Whole year</source>
        <translation>Cả năm</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Year: all</source>
        <translation>Năm: tất cả</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>First 6 months</source>
        <translation>6 tháng đầu năm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 6 months</source>
        <translation>6 tháng cuối năm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter 1</source>
        <translation>Quý 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter 2</source>
        <translation>Quý 2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter 3</source>
        <translation>Quý 3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarter 4</source>
        <translation>Quý 4</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>All programs</source>
        <translation>Tất cả chương trình</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>All communes</source>
        <translation>Tất cả xã, phường</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All statuses</source>
        <translation>Tất cả trạng thái</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Clear filters</source>
        <translation>Xóa bộ lọc</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Period: a year, then the whole year, a half or a quarter</source>
        <translation>Kỳ báo cáo: chọn năm, rồi chọn cả năm, 6 tháng hoặc một quý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Part of the year</source>
        <translation>Thời gian trong năm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Program node (and the nodes below it)</source>
        <translation>Chương trình/dự án (gồm cả các cấp bên dưới)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Commune (a current commune also finds the communes merged into it)</source>
        <translation>Xã, phường (chọn xã hiện nay thì tìm cả các xã đã sáp nhập vào xã đó)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status of the records</source>
        <translation>Trạng thái bản ghi</translation>
    </message>
    <message>
        <location line="+209"/>
        <source>Delete the record “{title}”?</source>
        <translation>Xóa bản ghi “{title}”?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the {count} selected records?</source>
        <translation>Xóa {count} bản ghi đang chọn?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete records</source>
        <translation>Xóa bản ghi</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Deleted records cannot be restored. Their evidence files stay in the evidence folder.</source>
        <translation>Không thể khôi phục bản ghi đã xóa. Các tệp minh chứng của bản ghi vẫn được giữ trong thư mục minh chứng.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Deleting records…</source>
        <translation>Đang xóa bản ghi…</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Showing the {count} records behind a dashboard figure.</source>
        <translation>Đang hiển thị {count} bản ghi tạo nên một số liệu ở trang Tổng quan.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{shown} / {total} records</source>
        <translation>{shown} / {total} bản ghi</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Default columns</source>
        <translation>Cột mặc định</translation>
    </message>
</context>
<context>
    <name>RefusalsDialog</name>
    <message>
        <location filename="../../ui/ministry/submissions_page.py" line="-296"/>
        <source>Refused packages of {province}, {period}</source>
        <translation>Gói bị từ chối của {province}, {period}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>These packages were refused and nothing of them was stored. Tell the province which checks failed; a corrected package, signed with its registered certificate and a higher version, is received normally.</source>
        <translation>Các gói này đã bị từ chối và không dữ liệu nào của chúng được lưu. Hãy báo cho tỉnh, thành phố các bước kiểm tra không đạt; gói đã sửa, ký bằng chứng thư đã đăng ký và có phiên bản cao hơn sẽ được tiếp nhận bình thường.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Received</source>
        <translation>Thời điểm nhận</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Failed checks</source>
        <translation>Bước kiểm tra không đạt</translation>
    </message>
</context>
<context>
    <name>RegisterSignerDialog</name>
    <message>
        <location filename="../../ui/ministry/signers_page.py" line="+87"/>
        <source>Register a province&apos;s certificate</source>
        <translation>Đăng ký chứng thư của tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A province sends its certificate file with its printed registration form. For a self-issued certificate type the SHA-256 fingerprint printed on the form: it proves the file is the one the department signed for. For a certificate a CA issued, choose the CA&apos;s root certificate.</source>
        <translation>Tỉnh, thành phố gửi tệp chứng thư kèm phiếu đăng ký in giấy. Với chứng thư tự cấp, hãy nhập dấu vân tay SHA-256 in trên phiếu: nó chứng minh tệp đúng là tệp Sở đã ký xác nhận. Với chứng thư do CA cấp, hãy chọn chứng thư gốc của CA.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The .pem or .cer file of the province</source>
        <translation>Tệp .pem hoặc .cer của tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+22"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Only for a certificate a CA issued</source>
        <translation>Chỉ với chứng thư do CA cấp</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Province:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate file:</source>
        <translation>Tệp chứng thư:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SHA-256 fingerprint:</source>
        <translation>Dấu vân tay SHA-256:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CA root certificate:</source>
        <translation>Chứng thư gốc CA:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Register</source>
        <translation>Đăng ký</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose the province&apos;s certificate</source>
        <translation>Chọn chứng thư của tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+11"/>
        <source>Certificates (*.pem *.cer *.crt *.der)</source>
        <translation>Chứng thư (*.pem *.cer *.crt *.der)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Choose the CA&apos;s root certificate</source>
        <translation>Chọn chứng thư gốc của CA</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This file holds no certificate.</source>
        <translation>Tệp này không chứa chứng thư nào.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>self-issued</source>
        <translation>tự cấp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>issued by a CA</source>
        <translation>do CA cấp</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{holder}, {kind}, valid {start} to {end}</source>
        <translation>{holder}, {kind}, hiệu lực từ {start} đến {end}</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Choose the certificate file the province sent.</source>
        <translation>Hãy chọn tệp chứng thư tỉnh, thành phố đã gửi.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Choose a province of the catalog.</source>
        <translation>Hãy chọn một tỉnh, thành phố trong danh mục.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is not a SHA-256 fingerprint: type the 64 hexadecimal digits printed on the registration form (colons, spaces and case do not matter).</source>
        <translation>Đây không phải dấu vân tay SHA-256: hãy nhập 64 chữ số thập lục phân in trên phiếu đăng ký (dấu hai chấm, dấu cách, chữ hoa hay thường đều được).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This fingerprint is not the certificate&apos;s: either it was mistyped, or the file is not the certificate of the registration form. Nothing was registered.</source>
        <translation>Dấu vân tay này không phải của chứng thư: có thể nhập sai, hoặc tệp không phải chứng thư của phiếu đăng ký. Chưa đăng ký gì.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This certificate is self-issued: type the SHA-256 fingerprint printed on the province&apos;s registration form.</source>
        <translation>Đây là chứng thư tự cấp: hãy nhập dấu vân tay SHA-256 in trên phiếu đăng ký của tỉnh, thành phố.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This certificate has expired; ask the province for its new one.</source>
        <translation>Chứng thư này đã hết hạn; hãy đề nghị tỉnh, thành phố gửi chứng thư mới.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A CA issued this certificate: choose the CA&apos;s root certificate.</source>
        <translation>Chứng thư này do CA cấp: hãy chọn chứng thư gốc của CA.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate does not chain to the root chosen.</source>
        <translation>Chứng thư này không dẫn về chứng thư gốc đã chọn.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate is registered for another province already; a certificate signs for one province only.</source>
        <translation>Chứng thư này đã được đăng ký cho tỉnh, thành phố khác; mỗi chứng thư chỉ ký cho một tỉnh, thành phố.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file holds several certificates: choose the province&apos;s own certificate alone (its CA&apos;s root goes below).</source>
        <translation>Tệp chứa nhiều chứng thư: hãy chọn riêng chứng thư của tỉnh, thành phố (chứng thư gốc của CA chọn ở ô dưới).</translation>
    </message>
</context>
<context>
    <name>ReportPreviewDialog</name>
    <message>
        <location filename="../../ui/ministry/dashboard_page.py" line="-496"/>
        <source>{pages} pages</source>
        <extracomment>The indicators the table shows, in the national report&apos;s order. The indicator the chart compares first. Phases offered after the periods received.</extracomment>
        <translation>{pages} trang</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Print…</source>
        <translation>In…</translation>
    </message>
</context>
<context>
    <name>ReportingStatusPage</name>
    <message>
        <location filename="../../ui/ministry/status_page.py" line="+368"/>
        <source>All periods</source>
        <translation>Mọi kỳ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Years</source>
        <translation>Năm</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Half years</source>
        <translation>6 tháng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quarters</source>
        <translation>Quý</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the latest {count}</source>
        <translation>{count} kỳ gần nhất</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every period</source>
        <translation>tất cả các kỳ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Periods:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>show</source>
        <translation>hiển thị</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Reporting status</source>
        <translation>Tình hình báo cáo</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No package received yet: receive the provinces&apos; packages on the Receive page. Every province is shown missing for {period}.</source>
        <translation>Chưa nhận gói dữ liệu nào: hãy tiếp nhận gói của các tỉnh, thành phố ở trang Tiếp nhận gói. Mọi tỉnh, thành phố đang hiện là chưa nhận cho {period}.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{period} at a glance</source>
        <translation>{period}: tóm tắt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Late ({count})</source>
        <translation>Muộn ({count})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused, not sent again ({count})</source>
        <translation>Bị từ chối, chưa gửi lại ({count})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not received ({count})</source>
        <translation>Chưa nhận ({count})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On time ({count})</source>
        <translation>Đúng hạn ({count})</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../ui/reports_page.py" line="+216"/>
        <source>Period report (PDF)</source>
        <translation>Báo cáo định kỳ (PDF)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List of records (PDF)</source>
        <translation>Danh sách bản ghi (PDF)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ICT criterion of every commune (PDF)</source>
        <translation>Tiêu chí thông tin và truyền thông của các xã (PDF)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period report as official forms (Excel)</source>
        <translation>Báo cáo định kỳ theo biểu mẫu (Excel)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ICT criterion of every commune (Excel)</source>
        <translation>Tiêu chí thông tin và truyền thông của các xã (Excel)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records (Excel)</source>
        <translation>Danh sách bản ghi (Excel)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>All programs</source>
        <translation>Tất cả chương trình</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. 12; empty: filled in by hand</source>
        <translation>ví dụ 12; để trống: ghi tay khi ký</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The document&apos;s number: 12 prints “Số: 12/BC-SVHTTDL” with the agency&apos;s abbreviation; a whole symbol is printed as typed.</source>
        <translation>Số văn bản: 12 in thành “Số: 12/BC-SVHTTDL” với tên viết tắt của cơ quan; số và ký hiệu đầy đủ được in đúng như đã gõ.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC</source>
        <translation>VD: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two lines are separated by “ / ”.</source>
        <translation>Hai dòng cách nhau bằng “ / ”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One recipient a line; “Lưu: VT” last</source>
        <translation>Mỗi nơi nhận một dòng; dòng cuối “Lưu: VT”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep as the defaults</source>
        <translation>Lưu làm mặc định</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Store the abbreviation, the signer, the title and the recipients in the agency profile: every report starts from them.</source>
        <translation>Lưu tên viết tắt, người ký, chức vụ và nơi nhận vào hồ sơ cơ quan: mọi báo cáo sẽ bắt đầu từ các thông tin này.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Report:</source>
        <translation>Báo cáo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Program:</source>
        <translation>Chương trình:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind:</source>
        <translation>Loại bản ghi:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Number:</source>
        <translation>Số:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency abbreviation:</source>
        <translation>Tên viết tắt cơ quan:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed by:</source>
        <translation>Người ký:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title of the signer:</source>
        <translation>Chức vụ người ký:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipients:</source>
        <translation>Nơi nhận:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Document to sign</source>
        <translation>Văn bản trình ký</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Preview</source>
        <translation>Xem trước</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Print…</source>
        <translation>In…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as…</source>
        <translation>Lưu thành tệp…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import from Excel</source>
        <translation>Nhập từ Excel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save an import template…</source>
        <translation>Lưu mẫu nhập liệu…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check a filled workbook…</source>
        <translation>Kiểm tra tệp Excel đã điền…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import the checked rows</source>
        <translation>Nhập các dòng đã kiểm tra</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rows are checked with the same rules as the forms; nothing is written unless every row passes.</source>
        <translation>Các dòng được kiểm tra theo cùng quy tắc như khi nhập trên biểu mẫu; chỉ khi mọi dòng đều hợp lệ thì dữ liệu mới được ghi.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Sheet</source>
        <translation>Trang tính</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Row</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Column</source>
        <translation>Cột</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>Vấn đề</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Press Preview to see the report here.</source>
        <translation>Bấm “Xem trước” để xem báo cáo tại đây.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+168"/>
        <source>Hide the form</source>
        <translation>Ẩn biểu mẫu</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>Give the whole width to the preview, or show the form again.</source>
        <translation>Dành toàn bộ chiều rộng cho bản xem trước, hoặc hiện lại biểu mẫu.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Zoom out (Ctrl+−)</source>
        <translation>Thu nhỏ (Ctrl+−)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Zoom in (Ctrl++)</source>
        <translation>Phóng to (Ctrl++)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fit to width</source>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fit page</source>
        <translation>Vừa trang</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Reports and Excel</source>
        <translation>Báo cáo và Excel</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Year {year}</source>
        <translation>Năm {year}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{half} half of {year}</source>
        <translation>6 tháng {half} năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First</source>
        <translation>đầu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Second</source>
        <translation>cuối</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quarter {quarter} of {year}</source>
        <translation>Quý {quarter} năm {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phase {phase}</source>
        <translation>Giai đoạn {phase}</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Show the form</source>
        <translation>Hiện biểu mẫu</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>The document settings are kept in the agency profile.</source>
        <translation>Đã lưu thông tin văn bản vào hồ sơ cơ quan.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Document settings</source>
        <translation>Thông tin văn bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings were not kept:</source>
        <translation>Chưa lưu được thông tin:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Keeping the document settings…</source>
        <translation>Đang lưu thông tin văn bản…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{pages} pages</source>
        <translation>{pages} trang</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Making the report…</source>
        <translation>Đang lập báo cáo…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Save the report</source>
        <translation>Lưu báo cáo</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+20"/>
        <location line="+11"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>PDF document (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saving the report…</source>
        <translation>Đang lưu báo cáo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved {path}.</source>
        <translation>Đã lưu {path}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save an import template</source>
        <translation>Lưu mẫu nhập liệu</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose a filled workbook</source>
        <translation>Chọn tệp Excel đã điền</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Checking the workbook…</source>
        <translation>Đang kiểm tra tệp Excel…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Likely duplicates</source>
        <translation>Có thể trùng bản ghi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} rows look like records already entered (same title, start date and place). Import them anyway?</source>
        <translation>{count} dòng có vẻ trùng với bản ghi đã nhập (cùng tên hoạt động, ngày bắt đầu và địa bàn). Vẫn nhập các dòng này?</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{count} problems: nothing was imported. Correct the workbook and check it again.</source>
        <translation>Có {count} vấn đề: chưa nhập dữ liệu nào. Hãy sửa tệp Excel rồi kiểm tra lại.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Every row passed. {total} records would be added ({counts}).</source>
        <translation>Tất cả các dòng đều hợp lệ. Sẽ thêm {total} bản ghi ({counts}).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{total} records were added ({counts}).</source>
        <translation>Đã thêm {total} bản ghi ({counts}).</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../ui/accounts_section.py" line="-305"/>
        <source>Reset password</source>
        <translation>Đặt lại mật khẩu</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New password:</source>
        <translation>Mật khẩu mới:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat the password:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give {username} a temporary password; they must choose a new one when they next log in.</source>
        <translation>Đặt mật khẩu tạm cho {username}; người này phải chọn mật khẩu mới ở lần đăng nhập tới.</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <location filename="../../ui/ministry/review_dialog.py" line="+74"/>
        <source>Review — {province}, {period}, version {version}</source>
        <translation>Xem xét — {province}, {period}, phiên bản {version}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Comment</source>
        <translation>Ý kiến</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Add a record comment</source>
        <translation>Thêm ý kiến về một bản ghi</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove</source>
        <translation>Bỏ dòng đã chọn</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>State:</source>
        <translation>Kết quả xem xét:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>General comment:</source>
        <translation>Ý kiến chung:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Comments on records (the record&apos;s id in the package):</source>
        <translation>Ý kiến về từng bản ghi (mã của bản ghi trong gói):</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Write a record as KIND/ID (training/1234) or its id alone. The review replaces the one before; the province learns it from the next receipt.</source>
        <translation>Ghi bản ghi theo dạng LOẠI/MÃ (training/1234) hoặc chỉ ghi mã. Kết quả xem xét này thay cho kết quả trước; tỉnh nhận được qua biên nhận tiếp theo.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The record {record} is listed twice.</source>
        <translation>Bản ghi {record} được ghi hai lần.</translation>
    </message>
</context>
<context>
    <name>SecretDialog</name>
    <message>
        <location filename="../../ui/signing.py" line="-222"/>
        <source>Token PIN</source>
        <translation>Mã PIN của token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Passphrase</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter the PIN of the USB token “{label}” to sign.</source>
        <translation>Nhập mã PIN của USB ký số “{label}” để ký.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter the passphrase of the signing identity {name}.</source>
        <translation>Nhập mật khẩu của chứng thư ký số {name}.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>PIN:</source>
        <translation>Mã PIN:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Passphrase:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A token locks itself after a few wrong PINs in a row (often 3 to 10 tries). If you are not sure of the PIN, stop and ask the person who keeps the token; only the certificate authority can unlock a locked token.</source>
        <translation>Token sẽ tự khóa sau vài lần nhập sai mã PIN liên tiếp (thường từ 3 đến 10 lần). Nếu không chắc mã PIN, hãy dừng lại và hỏi người giữ token; token đã bị khóa chỉ tổ chức cung cấp chứng thư số (CA) mới mở được.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This token&apos;s PIN is LOCKED after too many wrong tries. It cannot sign until the certificate authority that issued it unlocks it.</source>
        <translation>Mã PIN của token này ĐÃ BỊ KHÓA do nhập sai quá nhiều lần. Không thể ký cho đến khi tổ chức cung cấp chứng thư số (CA) mở khóa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>LAST TRY: one more wrong PIN locks this token. Enter the PIN only if you are sure of it.</source>
        <translation>LẦN THỬ CUỐI: nhập sai thêm một lần nữa token sẽ bị khóa. Chỉ nhập khi chắc chắn đúng mã PIN.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A wrong PIN was entered on this token recently.</source>
        <translation>Gần đây đã có lần nhập sai mã PIN trên token này.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/settings_page.py" line="+105"/>
        <source>Interface language</source>
        <extracomment>The widest a category&apos;s groups grow; text fields stop at a readable width. The fields of the &quot;Documents ready to sign&quot; category (the others are the profile&apos;s). The categories look like the window&apos;s sidebar: roomy rows, the chosen one highlighted.</extracomment>
        <translation>Ngôn ngữ giao diện</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language:</source>
        <translation>Ngôn ngữ:</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+145"/>
        <source>Agency profile</source>
        <translation>Hồ sơ cơ quan</translation>
    </message>
    <message>
        <location line="-133"/>
        <source>Agency name:</source>
        <translation>Tên cơ quan:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parent body:</source>
        <translation>Cơ quan chủ quản:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ministry:</source>
        <translation>Bộ nhận báo cáo:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Province:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Valid from:</source>
        <translation>Hiệu lực từ ngày:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>After a reorganisation, enter the new name with the day it took effect: reports for earlier periods keep the old name.</source>
        <translation>Khi sắp xếp lại tổ chức, hãy nhập tên mới kèm ngày có hiệu lực: báo cáo của các kỳ trước vẫn giữ tên cũ.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save profile</source>
        <translation>Lưu hồ sơ</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+391"/>
        <location line="+8"/>
        <source>Catalog</source>
        <translation>Danh mục</translation>
    </message>
    <message>
        <location line="-395"/>
        <source>Install a newer catalog…</source>
        <translation>Cài đặt danh mục mới hơn…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+16"/>
        <source>In use:</source>
        <translation>Đang dùng:</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>The ministry&apos;s certificate</source>
        <translation>Chứng thư số của Bộ</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choose the certificate file…</source>
        <translation>Chọn tệp chứng thư số…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The ministry&apos;s receipts and catalog updates are accepted only when this certificate signed them. Compare its fingerprint with the one the ministry published.</source>
        <translation>Biên nhận và bản cập nhật danh mục của Bộ chỉ được nhận khi do chứng thư số này ký. Hãy đối chiếu dấu vân tay với dấu vân tay Bộ đã công bố.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Data</source>
        <translation>Dữ liệu</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open the data folder</source>
        <translation>Mở thư mục dữ liệu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database file:</source>
        <translation>Tệp dữ liệu:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evidence files:</source>
        <translation>Tệp minh chứng:</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+63"/>
        <source>Documents ready to sign</source>
        <translation>Văn bản trình ký</translation>
    </message>
    <message>
        <location line="-58"/>
        <location line="+170"/>
        <source>e.g. SVHTTDL</source>
        <translation>VD: SVHTTDL</translation>
    </message>
    <message>
        <location line="-165"/>
        <source>e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC</source>
        <translation>VD: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two lines are separated by “ / ”.</source>
        <translation>Hai dòng cách nhau bằng “ / ”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One recipient a line; “Lưu: VT” last</source>
        <translation>Mỗi nơi nhận một dòng; dòng cuối “Lưu: VT”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Agency abbreviation:</source>
        <translation>Tên viết tắt cơ quan:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed by:</source>
        <translation>Người ký:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title of the signer:</source>
        <translation>Chức vụ người ký:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipients:</source>
        <translation>Nơi nhận:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Every report starts from these; the Reports page can change them for one report. The number is given to each report there.</source>
        <translation>Mọi báo cáo đều lấy theo các thông tin này; trang Báo cáo có thể sửa riêng cho từng báo cáo. Số văn bản được ghi cho từng báo cáo tại trang đó.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save document settings</source>
        <translation>Lưu thông tin văn bản</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signing identity</source>
        <translation>Chứng thư ký số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catalog and the ministry&apos;s certificate</source>
        <translation>Danh mục và chứng thư số của Bộ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data and backups</source>
        <translation>Dữ liệu và sao lưu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>version {version} of {released}; {programs} program nodes, {communes} communes</source>
        <translation>phiên bản {version} ngày {released}; {programs} chương trình/dự án, {communes} xã, phường</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>none yet</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{holder}
SHA-256 {fingerprint}
valid {start} to {end}</source>
        <translation>{holder}
SHA-256 {fingerprint}
hiệu lực từ {start} đến {end}</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>The document settings are kept in the agency profile.</source>
        <translation>Đã lưu thông tin văn bản vào hồ sơ cơ quan.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Choose the ministry&apos;s certificate</source>
        <translation>Chọn chứng thư số của Bộ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates (*.pem *.cer *.crt)</source>
        <translation>Chứng thư số (*.pem *.cer *.crt)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Choose a catalog file</source>
        <translation>Chọn tệp danh mục</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Catalog signed by the ministry (*.p7m)</source>
        <translation>Danh mục có chữ ký số của Bộ (*.p7m)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Catalog version {version} is installed.</source>
        <translation>Đã cài đặt danh mục phiên bản {version}.</translation>
    </message>
</context>
<context>
    <name>SignersPage</name>
    <message>
        <location filename="../../ui/ministry/signers_page.py" line="+32"/>
        <source>A package is accepted only when its signer&apos;s certificate is registered here for the province it claims, and was valid when it signed. A province may have several certificates over time (a renewal, a new token).</source>
        <translation>Một gói chỉ được nhận khi chứng thư của người ký đã được đăng ký ở đây cho đúng tỉnh, thành phố ghi trong gói và còn hiệu lực khi ký. Một tỉnh, thành phố có thể có nhiều chứng thư theo thời gian (gia hạn, đổi USB ký số).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All provinces</source>
        <translation>Mọi tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Register a certificate…</source>
        <translation>Đăng ký chứng thư…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Province:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Province</source>
        <translation>Tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder</source>
        <translation>Người giữ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256 fingerprint</source>
        <translation>Dấu vân tay SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid from</source>
        <translation>Hiệu lực từ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid to</source>
        <translation>Hiệu lực đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trusted by</source>
        <translation>Tin cậy qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered</source>
        <translation>Đăng ký lúc</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Signers</source>
        <translation>Chứng thư ký</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>registration form</source>
        <translation>phiếu đăng ký</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CA chain</source>
        <translation>chuỗi chứng thư CA</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(expired)</source>
        <translation>(hết hạn)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{time} by {user}</source>
        <translation>{time}, {user}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{count} certificates registered</source>
        <translation>{count} chứng thư đã đăng ký</translation>
    </message>
</context>
<context>
    <name>SigningChoice</name>
    <message>
        <location filename="../../ui/signing.py" line="-92"/>
        <source>Certificate file {name}</source>
        <translation>Tệp chứng thư {name}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>USB token “{label}” ({module})</source>
        <translation>USB ký số “{label}” ({module})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No signing identity chosen yet: choose one in Settings.</source>
        <translation>Chưa chọn chứng thư ký số: hãy chọn trong Cài đặt.</translation>
    </message>
</context>
<context>
    <name>SigningSection</name>
    <message>
        <location line="+295"/>
        <source>Signing identity</source>
        <translation>Chứng thư ký số</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A certificate file (PKCS#12: .p12, .pfx)</source>
        <translation>Tệp chứng thư (PKCS#12: .p12, .pfx)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A USB token (PKCS#11)</source>
        <translation>USB ký số – token (PKCS#11)</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+26"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Create a self-issued identity…</source>
        <translation>Tạo chứng thư tự cấp…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>File:</source>
        <translation>Tệp:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Find tokens</source>
        <translation>Tìm token</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>PKCS#11 module:</source>
        <translation>Thư viện PKCS#11:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The library the token&apos;s driver installed (on Windows usually in System32, e.g. vnptca_p11_v8.dll or viettel-ca_v6.dll); those found are listed.</source>
        <translation>Thư viện do trình điều khiển của token cài đặt (trên Windows thường nằm trong System32, ví dụ vnptca_p11_v8.dll hoặc viettel-ca_v6.dll); các thư viện tìm thấy được liệt kê sẵn.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Check the identity…</source>
        <translation>Kiểm tra chứng thư…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the certificate…</source>
        <translation>Lưu chứng thư…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print the registration form…</source>
        <translation>In phiếu đăng ký…</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Not checked yet: check the identity to see its certificate and fingerprint.</source>
        <translation>Chưa kiểm tra: bấm kiểm tra chứng thư để xem thông tin và dấu vân tay.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificate: {subject}
Valid {start} to {end}
SHA-256 fingerprint: {fingerprint}</source>
        <translation>Chứng thư: {subject}
Hiệu lực từ {start} đến {end}
Dấu vân tay SHA-256: {fingerprint}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Choose the signing identity</source>
        <translation>Chọn chứng thư ký số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PKCS#12 (*.p12 *.pfx)</source>
        <translation>PKCS#12 (*.p12 *.pfx)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>PKCS#11 module (*.dll *.so *.dylib)</source>
        <translation>Thư viện PKCS#11 (*.dll *.so *.dylib)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the token&apos;s PKCS#11 module</source>
        <translation>Chọn thư viện PKCS#11 của token</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No token is plugged in, or the token has no label.</source>
        <translation>Chưa cắm token, hoặc token không có nhãn.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose the identity file.</source>
        <translation>Hãy chọn tệp chứng thư.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the PKCS#11 module and the token.</source>
        <translation>Hãy chọn thư viện PKCS#11 và token.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Signing identity created</source>
        <translation>Đã tạo chứng thư ký số</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The identity is saved in {p12} and its certificate in {pem}. Send the certificate file and the registration form, signed and sealed, to the ministry.</source>
        <translation>Chứng thư ký số đã lưu tại {p12}, chứng thư công khai tại {pem}. Hãy gửi Bộ tệp chứng thư và phiếu đăng ký đã ký, đóng dấu.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open the form</source>
        <translation>Mở phiếu đăng ký</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Save the certificate</source>
        <translation>Lưu chứng thư</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate (*.pem)</source>
        <translation>Chứng thư (*.pem)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Save the registration form</source>
        <translation>Lưu phiếu đăng ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
</context>
<context>
    <name>StandardButton</name>
    <message>
        <location filename="../../ui/i18n.py" line="+114"/>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/selftest.py" line="+163"/>
        <source>Cancel</source>
        <extracomment>Qt messages of the offscreen platform that say nothing about the build (as in the tests).</extracomment>
        <translation>Hủy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
</context>
<context>
    <name>StatusMatrixModel</name>
    <message>
        <location filename="../../ui/ministry/status_page.py" line="-316"/>
        <source>Province</source>
        <extracomment>The item data role that holds a cell&apos;s state code (``on_time``, ``late``…). Period types the filter offers: all, years, half years, quarters. How many of the latest periods the filter offers (0: all); the first 4 by default.</extracomment>
        <translation>Tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Late · v{version} · {day}</source>
        <translation>Muộn · v{version} · {day}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refused ({count})</source>
        <translation>Bị từ chối ({count})</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Deadline: signed before {day}</source>
        <translation>Hạn báo cáo: ký trước ngày {day}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No deadline for this period</source>
        <translation>Kỳ này không có hạn báo cáo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed {time} (Vietnam time)</source>
        <translation>Ký lúc {time} (giờ Việt Nam)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Received {time}</source>
        <translation>Nhận lúc {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version {version}</source>
        <translation>Phiên bản {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replaces {versions}</source>
        <translation>thay thế {versions}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed by {signer}</source>
        <translation>Người ký: {signer}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} records: {kinds}</source>
        <translation>{count} bản ghi: {kinds}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Review: {state}</source>
        <translation>Xem xét: {state}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} package(s) refused for this period</source>
        <translation>{count} gói bị từ chối trong kỳ này</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click to see the submission and its records.</source>
        <translation>Bấm để xem gói và các bản ghi.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} package(s) refused, none accepted. Last reasons:</source>
        <translation>{count} gói bị từ chối, chưa gói nào được nhận. Lý do lần gần nhất:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Click to see the refused packages.</source>
        <translation>Bấm để xem các gói bị từ chối.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No package received.</source>
        <translation>Chưa nhận gói nào.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Received {received}/{expected} · {rate}%</source>
        <translation>Đã nhận {received}/{expected} · {rate}%</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>On time {on_time} · late {late}</source>
        <translation>Đúng hạn {on_time} · muộn {late}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refused {refused} · missing {missing}</source>
        <translation>Từ chối {refused} · chưa nhận {missing}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{period}: {received} of {expected} provinces reported (reporting rate {rate}%), {on_time} on time (on-time rate {on_time_rate}%), {late} late; {refused} refused and not yet sent again; {missing} missing.</source>
        <translation>{period}: {received}/{expected} tỉnh, thành phố đã báo cáo (tỷ lệ báo cáo {rate}%), {on_time} đúng hạn (tỷ lệ đúng hạn {on_time_rate}%), {late} muộn; {refused} bị từ chối và chưa gửi lại; {missing} chưa nhận.</translation>
    </message>
</context>
<context>
    <name>SubmissionDetail</name>
    <message>
        <location filename="../../ui/ministry/submissions_page.py" line="-375"/>
        <location line="+185"/>
        <source>Choose a submission to see its detail.</source>
        <translation>Chọn một gói để xem chi tiết.</translation>
    </message>
    <message>
        <location line="-173"/>
        <source>Province:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version:</source>
        <translation>Phiên bản:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State:</source>
        <translation>Trạng thái:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review:</source>
        <translation>Xem xét:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records:</source>
        <translation>Số bản ghi:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By kind:</source>
        <translation>Theo loại:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed by:</source>
        <translation>Người ký:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate:</source>
        <translation>Chứng thư:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed at:</source>
        <translation>Thời điểm ký:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received:</source>
        <translation>Thời điểm nhận:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sender:</source>
        <translation>Đơn vị gửi:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File:</source>
        <translation>Tệp:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Package id:</source>
        <translation>Mã gói:</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Search (diacritics optional)…</source>
        <translation>Tìm kiếm (có dấu hoặc không dấu)…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Records of:</source>
        <translation>Bản ghi loại:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Review…</source>
        <translation>Xem xét…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write receipts…</source>
        <translation>Lập biên nhận…</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>{province} — {period}, version {version}</source>
        <translation>{province} — {period}, phiên bản {version}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sent as {legacy}</source>
        <translation>gửi với tên {legacy}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>replaces v{version}</source>
        <translation>thay thế v{version}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>, {count} evidence files</source>
        <translation>, {count} tệp minh chứng</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{time} (Vietnam time)</source>
        <translation>{time} (giờ Việt Nam)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{time} by {user}</source>
        <translation>{time}, người nhận {user}</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The first {shown} of {count} records; search to narrow them.</source>
        <translation>{shown} bản ghi đầu trong {count}; hãy tìm kiếm để thu hẹp.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} records</source>
        <translation>{count} bản ghi</translation>
    </message>
</context>
<context>
    <name>SubmissionDialog</name>
    <message>
        <location line="+30"/>
        <source>Submission</source>
        <translation>Gói dữ liệu</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show among the submissions</source>
        <translation>Xem trong danh sách gói đã nhận</translation>
    </message>
</context>
<context>
    <name>SubmissionListModel</name>
    <message>
        <location line="+178"/>
        <source>Province</source>
        <translation>Tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>Kỳ báo cáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>Thời điểm nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed (Vietnam time)</source>
        <translation>Thời điểm ký (giờ VN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signer</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>Số bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review</source>
        <translation>Xem xét</translation>
    </message>
</context>
<context>
    <name>SubmissionsPage</name>
    <message>
        <location filename="../../ui/submissions_page.py" line="+112"/>
        <location line="+308"/>
        <source>Approve the period</source>
        <translation>Phê duyệt kỳ báo cáo</translation>
    </message>
    <message>
        <location line="-305"/>
        <source>Make the signed package…</source>
        <translation>Lập gói dữ liệu có ký số…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Change…</source>
        <extracomment>Part sizes offered for email, in MB (many government mail servers refuse more than 10). Review states that ask the province to act.</extracomment>
        <translation>Thay đổi…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Split into parts for email, each at most</source>
        <translation>Chia thành nhiều phần để gửi thư điện tử, mỗi phần tối đa</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Signed by:</source>
        <translation>Ký bằng:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email:</source>
        <translation>Thư điện tử:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve and package</source>
        <translation>Phê duyệt và lập gói</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Made on</source>
        <translation>Ngày lập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>Số bản ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signer fingerprint (SHA-256)</source>
        <translation>Dấu vân tay người ký (SHA-256)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The ministry&apos;s receipt</source>
        <translation>Biên nhận của Bộ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved as</source>
        <translation>Nơi lưu</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open its folder</source>
        <translation>Mở thư mục chứa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy to a drive…</source>
        <translation>Chép sang ổ USB…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prepare an email</source>
        <translation>Soạn thư điện tử</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import receipt…</source>
        <translation>Nhập biên nhận…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Packages made</source>
        <translation>Các gói đã lập</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verify a package…</source>
        <translation>Kiểm tra một gói…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checks the files, the signature and who signed; give the trusted root or the registered certificate of the sender.</source>
        <translation>Kiểm tra các tệp, chữ ký số và người ký; cần chọn chứng thư gốc tin cậy hoặc chứng thư đã đăng ký của đơn vị gửi.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Check</source>
        <translation>Nội dung kiểm tra</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verify a package received</source>
        <translation>Kiểm tra gói dữ liệu nhận được</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Submissions</source>
        <translation>Gói dữ liệu gửi Bộ</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>not reviewed yet</source>
        <translation>chưa xem xét</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accepted after review</source>
        <translation>đã chấp nhận sau xem xét</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>has issues</source>
        <translation>có vấn đề cần sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>không chấp nhận</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Received {day}: REFUSED</source>
        <translation>Bộ nhận ngày {day}: BỊ TỪ CHỐI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received {day}: accepted, {review}</source>
        <translation>Bộ nhận ngày {day}: đã tiếp nhận, {review}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>({count} record comments)</source>
        <translation>({count} ý kiến về bản ghi)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>— replaced by a newer version</source>
        <translation>— đã được thay bằng phiên bản mới hơn</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The ministry&apos;s comment: {comment}</source>
        <translation>Ý kiến của Bộ: {comment}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} records have a comment of the ministry: they are marked in the tables of records, the comment shows in each record&apos;s form.</source>
        <translation>{count} bản ghi có ý kiến của Bộ: các bản ghi này được đánh dấu trong bảng bản ghi, nội dung ý kiến hiện trong biểu mẫu của từng bản ghi.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Failed check {check}: {reason}</source>
        <translation>Không đạt kiểm tra {check}: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Receipt signed by {issuer} on {day}.</source>
        <translation>Biên nhận do {issuer} ký ngày {day}.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No receipt of the ministry for version {version} of {period} yet.</source>
        <translation>Chưa có biên nhận của Bộ cho phiên bản {version} kỳ {period}.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose the receipts</source>
        <translation>Chọn biên nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Receipts of the ministry (*.receipt.json *.receipt.json.p7s)</source>
        <translation>Biên nhận của Bộ (*.receipt.json *.receipt.json.p7s)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Choose the ministry&apos;s certificate (once: it is kept)</source>
        <translation>Chọn chứng thư số của Bộ (chỉ một lần: phần mềm lưu lại)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{count} receipts imported ({known} had been imported before).</source>
        <translation>Đã nhập {count} biên nhận ({known} biên nhận đã nhập từ trước).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nothing was imported.</source>
        <translation>Không có phiếu nào được nhập.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking the receipts…</source>
        <translation>Đang kiểm tra biên nhận…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{period} is not approved: {count} record(s) starting in it are drafts.</source>
        <translation>Kỳ {period} chưa được phê duyệt: còn {count} bản ghi nháp bắt đầu trong kỳ.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{period} is approved.</source>
        <translation>Kỳ {period} đã được phê duyệt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{count} record(s) starting in {period} are still drafts. Confirm them and approve the period? Its records cannot be changed afterwards until an approver reopens it.</source>
        <translation>Còn {count} bản ghi nháp bắt đầu trong kỳ {period}. Xác nhận các bản ghi này và phê duyệt kỳ? Sau đó không thể sửa bản ghi của kỳ cho đến khi lãnh đạo mở lại kỳ.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>… and {count} more</source>
        <translation>… và {count} bản ghi khác</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Save the package</source>
        <translation>Lưu gói dữ liệu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Package (*.zip)</source>
        <translation>Gói dữ liệu (*.zip)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Package version {version} written in {count} parts beside {path}; send every part.</source>
        <translation>Đã lập gói phiên bản {version} gồm {count} phần, lưu cùng {path}; hãy gửi đủ tất cả các phần.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Package version {version} written to {path}.</source>
        <translation>Đã lập gói phiên bản {version}, lưu tại {path}.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Making the signed package…</source>
        <translation>Đang lập gói dữ liệu có ký số…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No signing identity</source>
        <translation>Chưa có chứng thư ký số</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the certificate file or the USB token that signs the packages, or create a self-issued identity, in Settings.</source>
        <translation>Hãy vào Cài đặt để chọn tệp chứng thư hoặc USB ký số dùng để ký gói dữ liệu, hoặc tạo chứng thư tự cấp.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open Settings</source>
        <translation>Mở Cài đặt</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Choose the drive or folder</source>
        <translation>Chọn ổ đĩa hoặc thư mục</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Copied to {path}.</source>
        <translation>Đã chép sang {path}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Submission package {period}, version {version}</source>
        <translation>Gói dữ liệu báo cáo kỳ {period}, phiên bản {version}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Please find attached the signed submission package of {agency} for {period} (version {version}, {records} records). Signer fingerprint (SHA-256): {fingerprint}.</source>
        <translation>{agency} gửi kèm theo đây gói dữ liệu báo cáo có ký số kỳ {period} (phiên bản {version}, {records} bản ghi). Dấu vân tay chứng thư người ký (SHA-256): {fingerprint}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The package is in {count} parts ({files}), sent in {count} emails; keep them together in one folder to verify.</source>
        <translation>Gói dữ liệu gồm {count} phần ({files}), gửi trong {count} thư; hãy lưu chung một thư mục để kiểm tra.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The package is in {count} parts: send each part in its own email, in order: {files}.</source>
        <translation>Gói dữ liệu gồm {count} phần: gửi mỗi phần trong một thư riêng, theo thứ tự: {files}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attach {path} to the email.</source>
        <translation>Hãy đính kèm tệp {path} vào thư.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose the package or all its parts</source>
        <translation>Chọn gói dữ liệu hoặc tất cả các phần của gói</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Package (*.zip *.zip.*)</source>
        <translation>Gói dữ liệu (*.zip *.zip.*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the trusted or registered certificates</source>
        <translation>Chọn chứng thư gốc tin cậy hoặc chứng thư đã đăng ký</translation>
    </message>
    <message>
        <location line="-269"/>
        <location line="+271"/>
        <source>Certificates (*.pem *.cer *.crt)</source>
        <translation>Chứng thư (*.pem *.cer *.crt)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Verifying…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>passed</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FAILED</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>skipped</source>
        <translation>bỏ qua</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The package is verified: every check passed.</source>
        <translation>Gói dữ liệu hợp lệ: mọi nội dung kiểm tra đều đạt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is REFUSED: {checks}.</source>
        <translation>Gói dữ liệu BỊ TỪ CHỐI: {checks}.</translation>
    </message>
</context>
<context>
    <name>TargetDialog</name>
    <message>
        <location filename="../../ui/targets_page.py" line="+550"/>
        <source>Edit target</source>
        <translation>Sửa chỉ tiêu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New target</source>
        <translation>Thêm chỉ tiêu</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Program node</source>
        <translation>Chương trình/dự án</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Years</source>
        <translation>Năm</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+138"/>
        <source>number</source>
        <translation>số lượng</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>Indicator:</source>
        <translation>Chỉ số:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Year or phase:</source>
        <translation>Năm hoặc giai đoạn:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target:</source>
        <translation>Chỉ tiêu:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Achieved:</source>
        <translation>Đã đạt:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>% (at most 100)</source>
        <translation>% (tối đa 100)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Calculating…</source>
        <translation>Đang tính…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No records to compute it from yet.</source>
        <translation>Chưa có bản ghi để tính.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>computed from {numerator} / {denominator}</source>
        <translation>tính từ {numerator} / {denominator}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{share} of this target</source>
        <translation>đạt {share} chỉ tiêu</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Replace target</source>
        <translation>Thay chỉ tiêu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{program} already has a target of {value} for this indicator in {period}. Replace it?</source>
        <translation>{program} đã có chỉ tiêu {value} cho chỉ số này trong kỳ {period}. Thay bằng giá trị mới?</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Choose a program node in the tree.</source>
        <translation>Hãy chọn một chương trình/dự án trong cây.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an indicator from the list.</source>
        <translation>Hãy chọn một chỉ số trong danh sách.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a year or a phase.</source>
        <translation>Hãy chọn năm hoặc giai đoạn.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This node runs from {first} to {last}: choose a year or phase inside it.</source>
        <translation>Chương trình/dự án này thực hiện từ {first} đến {last}: hãy chọn năm hoặc giai đoạn trong khoảng đó.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter a number, e.g. 86,5 or 1.200.</source>
        <translation>Hãy nhập một số, VD: 86,5 hoặc 1.200.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A target cannot be negative.</source>
        <translation>Chỉ tiêu không được là số âm.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A percentage cannot be more than 100.</source>
        <translation>Tỷ lệ phần trăm không được lớn hơn 100.</translation>
    </message>
</context>
<context>
    <name>TargetTableModel</name>
    <message>
        <location line="-755"/>
        <source>Program node</source>
        <translation>Chương trình/dự án</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indicator</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Year or phase</source>
        <translation>Năm hoặc giai đoạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed by</source>
        <translation>Người sửa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed at</source>
        <translation>Thời gian sửa</translation>
    </message>
</context>
<context>
    <name>TargetsPage</name>
    <message>
        <location line="-48"/>
        <source>Phase {phase}</source>
        <translation>Giai đoạn {phase}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Year {year}</source>
        <translation>Năm {year}</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>Targets per program node, for a year or a whole phase. The dashboard compares the figures of the records with them.</source>
        <translation>Chỉ tiêu của từng chương trình/dự án, theo năm hoặc cả giai đoạn. Trang Tổng quan so sánh số liệu của các bản ghi với các chỉ tiêu này.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>All programs</source>
        <translation>Tất cả chương trình</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Add target…</source>
        <translation>Thêm chỉ tiêu…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Program:</source>
        <translation>Chương trình:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Targets</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No targets yet: add one with “Add target…”.</source>
        <translation>Chưa có chỉ tiêu nào: bấm “Thêm chỉ tiêu…” để thêm.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} targets</source>
        <translation>{count} chỉ tiêu</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Delete target</source>
        <translation>Xóa chỉ tiêu</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete the target “{indicator}” of {program} for {period}?</source>
        <translation>Xóa chỉ tiêu “{indicator}” của {program}, kỳ {period}?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The dashboard will no longer compare with it.</source>
        <translation>Trang Tổng quan sẽ không còn so sánh với chỉ tiêu này.</translation>
    </message>
</context>
<context>
    <name>Verification</name>
    <message>
        <location filename="../../ui/verification.py" line="+14"/>
        <source>parts joined</source>
        <translation>ghép đủ các phần</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>safe extraction</source>
        <translation>giải nén an toàn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bag complete</source>
        <translation>gói đầy đủ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checksums right</source>
        <translation>mã kiểm tra đúng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>signature intact and valid</source>
        <translation>chữ ký nguyên vẹn và hợp lệ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>signer trusted</source>
        <translation>người ký được tin cậy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>certificate valid now or at a trusted timestamp</source>
        <translation>chứng thư còn hiệu lực (hiện tại hoặc tại thời điểm có dấu thời gian tin cậy)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>records valid against the schema</source>
        <translation>bản ghi đúng cấu trúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>records pass the core&apos;s rules</source>
        <translation>bản ghi đạt các quy tắc kiểm tra dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>package facts agree</source>
        <translation>thông tin gói khớp nhau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>province known</source>
        <translation>tỉnh, thành phố hợp lệ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>signer registered for the province</source>
        <translation>người ký đã đăng ký cho tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>version newer than any received</source>
        <translation>phiên bản mới hơn mọi bản đã nhận</translation>
    </message>
</context>
<context>
    <name>WriteReceiptsDialog</name>
    <message>
        <location filename="../../ui/ministry/review_dialog.py" line="+58"/>
        <source>Write receipts</source>
        <translation>Lập biên nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A certificate file (PKCS#12: .p12, .pfx)</source>
        <translation>Tệp chứng thư (PKCS#12: .p12, .pfx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A USB token (PKCS#11)</source>
        <translation>USB ký số – token (PKCS#11)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+8"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>every period</source>
        <translation>mọi kỳ báo cáo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Every province</source>
        <translation>Tất cả các tỉnh, thành phố</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Signed with:</source>
        <translation>Ký bằng:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate file:</source>
        <translation>Tệp chứng thư:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token module:</source>
        <translation>Thư viện PKCS#11 của token:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token label:</source>
        <translation>Nhãn token:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write into:</source>
        <translation>Lưu vào:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Province:</source>
        <translation>Tỉnh, thành phố:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write the receipts</source>
        <translation>Lập biên nhận</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Each package received, accepted or refused, gets its receipt (NAME.zip.receipt.json and its signature .p7s) with its review; copy the folder to the province&apos;s USB drive or attach both files to an e-mail.</source>
        <translation>Mỗi gói đã nhận, được tiếp nhận hay bị từ chối, đều có biên nhận (TÊN.zip.receipt.json và chữ ký .p7s) kèm kết quả xem xét; chép thư mục vào USB của tỉnh hoặc đính kèm cả hai tệp vào thư điện tử.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Choose the ministry&apos;s certificate file</source>
        <translation>Chọn tệp chứng thư của Bộ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PKCS#12 (*.p12 *.pfx)</source>
        <translation>PKCS#12 (*.p12 *.pfx)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the folder or the drive</source>
        <translation>Chọn thư mục hoặc ổ đĩa</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose the certificate file or the token that signs.</source>
        <translation>Hãy chọn tệp chứng thư hoặc token dùng để ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the folder to write the receipts into.</source>
        <translation>Hãy chọn thư mục để lưu biên nhận.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{count} receipts written into {folder} ({accepted} accepted, {refused} refused).</source>
        <translation>Đã lập {count} biên nhận trong {folder} ({accepted} gói được tiếp nhận, {refused} gói bị từ chối).</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Writing…</source>
        <translation>Đang lập…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Writing the receipts…</source>
        <translation>Đang lập biên nhận…</translation>
    </message>
</context>
</TS>
