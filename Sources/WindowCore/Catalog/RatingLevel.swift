/// The 好差评 levels asked after every session: 5 = 非常满意 … 1 = 非常不满意.
public enum RatingLevel {
    public static let all: [(level: Int, label: LocalizedText)] = [
        (5, LocalizedText(zh: "非常满意", en: "Very satisfied")),
        (4, LocalizedText(zh: "满意", en: "Satisfied")),
        (3, LocalizedText(zh: "基本满意", en: "Fairly satisfied")),
        (2, LocalizedText(zh: "不满意", en: "Dissatisfied")),
        (1, LocalizedText(zh: "非常不满意", en: "Very dissatisfied")),
    ]

    public static func label(_ level: Int) -> LocalizedText? {
        all.first { $0.level == level }?.label
    }
}
