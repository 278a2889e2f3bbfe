"""The shell: 选择地区, 单位管理, 添加单位, 登录, 数据更新, and the main window with its menu and pages."""
