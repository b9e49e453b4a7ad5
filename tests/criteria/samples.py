"""Small criteria files for tests, in the format of docs/criteria-yaml.md."""

PROGRAMME = """\
programme:
  code: "2021-2025"
  name: "Chương trình MTQG xây dựng nông thôn mới giai đoạn 2021 - 2025"
  legal_basis: "Nghị quyết 25/2021/QH15; Quyết định 263/QĐ-TTg (22/02/2022)"
  start_year: 2021
  end_year: 2025
"""

STANDARD = (
    PROGRAMME
    + """\
set:
  code: commune-standard
  name: "Bộ tiêu chí xã NTM (thử nghiệm)"
  level: commune
  applies_to: [xa]
  tier: standard
  rank: 1
  legal_basis: "318/QĐ-TTg"
  province: null
  derived_from: null
  status: published
  description: ""
measures:
  - code: income_per_capita
    name: "Thu nhập bình quân đầu người"
    name_en: "Income per person"
    kind: number
    unit: "triệu đồng/người/năm"
    min: 0
    max: 2000
    levels: []
  - code: poverty_rate
    name: "Tỷ lệ hộ nghèo đa chiều"
    name_en: "Poverty rate"
    kind: percent
    unit: "%"
    min: 0
    max: 100
    levels: []
  - code: plan_approved
    name: "Có quy hoạch chung được duyệt"
    name_en: "Approved plan"
    kind: boolean
    unit: ""
    min: null
    max: null
    levels: []
criteria:
  - number: 1
    name: "Quy hoạch"
    name_en: "Planning"
    group: "Quy hoạch"
    department: "Sở Xây dựng"
    key: false
    kind: criterion
    note: ""
    indicators:
      - code: "1.1"
        official_code: null
        name: "Có quy hoạch chung xây dựng xã được phê duyệt"
        measure: plan_approved
        comparison: achieved
        reference: null
        multiplier: null
        note: ""
        thresholds:
          - value: null
            region: null
            tdmnpb_rule: null
            group: null
            year: null
            source: "318/QĐ-TTg (diễn giải)"
            verified: false
  - number: 10
    name: "Thu nhập"
    name_en: "Income"
    group: "Kinh tế"
    department: "Cục Thống kê"
    key: true
    kind: criterion
    note: ""
    indicators:
      - code: "10.1"
        official_code: null
        name: "Thu nhập bình quân đầu người"
        measure: income_per_capita
        comparison: ">="
        reference: null
        multiplier: null
        note: ""
        thresholds:
          - value: 50
            region: null
            tdmnpb_rule: null
            group: null
            year: null
            source: "minh họa"
            verified: false
          - value: 54
            region: TN
            tdmnpb_rule: null
            group: null
            year: 2024
            source: "minh họa TN 2024"
            verified: false
          - value: 39
            region: TDMNPB
            tdmnpb_rule: null
            group: null
            year: 2024
            source: "minh họa TDMNPB 2024"
            verified: false
  - number: 11
    name: "Nghèo đa chiều"
    name_en: "Poverty"
    group: "Kinh tế"
    department: "Sở LĐTBXH"
    key: false
    kind: criterion
    note: ""
    indicators:
      - code: "11.1"
        official_code: null
        name: "Tỷ lệ nghèo đa chiều"
        measure: poverty_rate
        comparison: "<="
        reference: null
        multiplier: null
        note: ""
        thresholds:
          - value: 6.5
            region: null
            tdmnpb_rule: null
            group: null
            year: null
            source: "minh họa"
            verified: true
"""
)
