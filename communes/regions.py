"""Province -> socio-economic region, by GSO province code.

Source: ../shared/domain/regions.md, which follows the General Statistics Office's grouping of the
63 pre-2025 provinces into its 6 statistical regions, with "Bắc Trung Bộ và Duyên hải miền Trung"
split into Bắc Trung Bộ and Duyên hải Nam Trung Bộ as QĐ 318/QĐ-TTg's thresholds require.
Codes are those of vietnam-provinces 0.6.0 (data of 2025-01-04).
"""

from criteria.choices import Region

PROVINCE_REGIONS: dict[str, str] = {
    # Trung du và miền núi phía Bắc (14)
    "02": Region.TDMNPB,  # Hà Giang
    "04": Region.TDMNPB,  # Cao Bằng
    "06": Region.TDMNPB,  # Bắc Kạn
    "08": Region.TDMNPB,  # Tuyên Quang
    "10": Region.TDMNPB,  # Lào Cai
    "11": Region.TDMNPB,  # Điện Biên
    "12": Region.TDMNPB,  # Lai Châu
    "14": Region.TDMNPB,  # Sơn La
    "15": Region.TDMNPB,  # Yên Bái
    "17": Region.TDMNPB,  # Hòa Bình
    "19": Region.TDMNPB,  # Thái Nguyên
    "20": Region.TDMNPB,  # Lạng Sơn
    "24": Region.TDMNPB,  # Bắc Giang
    "25": Region.TDMNPB,  # Phú Thọ
    # Đồng bằng sông Hồng (11)
    "01": Region.DBSH,  # Hà Nội
    "22": Region.DBSH,  # Quảng Ninh
    "26": Region.DBSH,  # Vĩnh Phúc
    "27": Region.DBSH,  # Bắc Ninh
    "30": Region.DBSH,  # Hải Dương
    "31": Region.DBSH,  # Hải Phòng
    "33": Region.DBSH,  # Hưng Yên
    "34": Region.DBSH,  # Thái Bình
    "35": Region.DBSH,  # Hà Nam
    "36": Region.DBSH,  # Nam Định
    "37": Region.DBSH,  # Ninh Bình
    # Bắc Trung Bộ (6)
    "38": Region.BTB,  # Thanh Hóa
    "40": Region.BTB,  # Nghệ An
    "42": Region.BTB,  # Hà Tĩnh
    "44": Region.BTB,  # Quảng Bình
    "45": Region.BTB,  # Quảng Trị
    "46": Region.BTB,  # Thừa Thiên Huế (Thành phố Huế)
    # Duyên hải Nam Trung Bộ (8)
    "48": Region.DHNTB,  # Đà Nẵng
    "49": Region.DHNTB,  # Quảng Nam
    "51": Region.DHNTB,  # Quảng Ngãi
    "52": Region.DHNTB,  # Bình Định
    "54": Region.DHNTB,  # Phú Yên
    "56": Region.DHNTB,  # Khánh Hòa
    "58": Region.DHNTB,  # Ninh Thuận
    "60": Region.DHNTB,  # Bình Thuận
    # Tây Nguyên (5)
    "62": Region.TN,  # Kon Tum
    "64": Region.TN,  # Gia Lai
    "66": Region.TN,  # Đắk Lắk
    "67": Region.TN,  # Đắk Nông
    "68": Region.TN,  # Lâm Đồng
    # Đông Nam Bộ (6)
    "70": Region.DNB,  # Bình Phước
    "72": Region.DNB,  # Tây Ninh
    "74": Region.DNB,  # Bình Dương
    "75": Region.DNB,  # Đồng Nai
    "77": Region.DNB,  # Bà Rịa - Vũng Tàu
    "79": Region.DNB,  # Thành phố Hồ Chí Minh
    # Đồng bằng sông Cửu Long (13)
    "80": Region.DBSCL,  # Long An
    "82": Region.DBSCL,  # Tiền Giang
    "83": Region.DBSCL,  # Bến Tre
    "84": Region.DBSCL,  # Trà Vinh
    "86": Region.DBSCL,  # Vĩnh Long
    "87": Region.DBSCL,  # Đồng Tháp
    "89": Region.DBSCL,  # An Giang
    "91": Region.DBSCL,  # Kiên Giang
    "92": Region.DBSCL,  # Cần Thơ
    "93": Region.DBSCL,  # Hậu Giang
    "94": Region.DBSCL,  # Sóc Trăng
    "95": Region.DBSCL,  # Bạc Liêu
    "96": Region.DBSCL,  # Cà Mau
}
