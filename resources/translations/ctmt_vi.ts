<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="+156"/>
        <source>Creating demo data…</source>
        <translation>Đang tạo dữ liệu mẫu…</translation>
    </message>
    <message>
        <location line="+32"/>
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
    <name>DbLane</name>
    <message>
        <location filename="../../ui/db_lane.py" line="+133"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>ErrorReport</name>
    <message>
        <location line="+70"/>
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
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../ui/first_start.py" line="+46"/>
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
        <location line="+45"/>
        <source>The profile could not be saved: {reason}</source>
        <translation>Không lưu được thông tin cơ quan: {reason}</translation>
    </message>
    <message>
        <location line="+47"/>
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
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+81"/>
        <source>Search by title, place, implementing unit or program code</source>
        <translation>Tìm theo tên hoạt động, địa bàn, đơn vị thực hiện hoặc mã chương trình</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accents and capitals do not matter: “duc” finds “Đức”.</source>
        <translation>Không phân biệt dấu và chữ hoa: gõ “duc” cũng tìm thấy “Đức”.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Database file: {path}</source>
        <translation>Tệp dữ liệu: {path}</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>{shown} / {total} records</source>
        <translation>{shown} / {total} bản ghi</translation>
    </message>
</context>
<context>
    <name>StandardButton</name>
    <message>
        <location filename="../../ui/i18n.py" line="+77"/>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
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
</TS>
