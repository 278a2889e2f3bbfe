"""用人单位 rules, pure: what makes a 缴费工资申报 valid before it is sent."""
