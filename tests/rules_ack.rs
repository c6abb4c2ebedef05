//! Infrastructure (ACK) and business (BUS) acknowledgement rules.

mod itk2_fixtures;
use itk2_fixtures::*;
use itk_validator::Severity;

const ACK_CASES: &[Case] = &[
    case("ACK001", "result=\"Failure\"", "result=\"ERROR\"", "ERROR\""),
    warn("ACK002", "result=\"Failure\"", "result=\"Warning\"", "Warning\""),
    case("ACK003", "77777777-7777-7777-7777-777777777777", "77777777-7777-7777-7777-77777777777a", "77777777-7777-7777-7777-77777777777a"),
    case("ACK004", " serviceRef=\"urn:nhs-itk:services:201005:SendCDADocument-v2-0\"", "", "<itk:InfrastructureResponse"),
    case("ACK005", "<itk:reportingIdentity><itk:id uri=\"urn:nhs-uk:identity:ods:RHM\"/></itk:reportingIdentity>", "<itk:reportingIdentity></itk:reportingIdentity>", "<itk:reportingIdentity>"),
    warn("ACK008", "result=\"Failure\"", "result=\"OK\"", "<itk:errorInfo>"),
    case("ACK009", "88888888-8888-8888-8888-888888888888", "Client1000", "Client1000"),
    case("ACK010", "<itk:ErrorText>Distribution Envelope Manifest Processing Error</itk:ErrorText>\n", "", "<itk:errorInfo>"),
    case("ACK011", ">DE0006<", ">DE0099<", "DE0099"),
    case("ACK012", "Distribution Envelope Manifest Processing Error", "Something went wrong", "Something went wrong"),
    case("ACK013", "2012-02-12T09:55:00Z", "yesterday", "yesterday"),
    warn("ACK013", "2012-02-12T09:55:00Z", "2012-02-12T09:55:00", "2012-02-12T09:55:00\""),
    warn("ACK014", "77777777-7777-7777-7777-777777777777", "55555555-5555-5555-5555-555555555555", "55555555-5555-5555-5555-555555555555\" result"),
    case("ACK015", "services:201005:SendInfrastructureAck-v1-0\" trackingid", "services:201005:SendBusinessAck-v1-0\" trackingid", "<itk:InfrastructureResponse"),
];

const BUS_CASES: &[Case] = &[
    case("BUS001", "services:201005:SendBusinessAck-v1-0", "services:201005:SendCDADocument-v2-0", "<hl7:BusinessResponseMessage"),
    case("BUS002", "7D6D9D40-AE1A-11DB-97F8-B18E1E0994CD", "not-a-uuid", "not-a-uuid"),
    case("BUS003", "201107121534", "2011-07-12", "2011-07-12"),
    case("BUS004", "extension=\"urn:nhs-itk:interaction:primaryRecipientNonCodedCDADocument-v2-0\"", "extension=\"primaryRecipientNonCodedCDADocument-v2-0\"", "primaryRecipientNonCodedCDADocument-v2-0\"/>"),
    case("BUS005", "typeCode=\"AA\"", "typeCode=\"XX\"", "XX\""),
    case("BUS006", "7D6D9D40-AE1A-11DB-97F9-B18E1E0994AA", "abc", "<hl7:id root=\"abc\""),
    warn("BUS007", "urn:nhs-uk:addressing:ods:Y88764", "testAddress", "<hl7:id root=\"2.16.840.1.113883.2.1.3.2.4.18.22\" extension=\"testAddress\""),
];

#[test]
fn ack_rules_fail_at_the_defect() {
    run_cases(INF_ACK, ACK_CASES);
}

#[test]
fn bus_rules_fail_at_the_defect() {
    run_cases(BUS_ACK, BUS_CASES);
}

#[test]
fn valid_acks_pass() {
    let mut codes = codes_of(ACK_CASES);
    codes.extend(["ACK006", "ACK007"]);
    assert_clean(INF_ACK, &codes);
    assert_clean(BUS_ACK, &codes_of(BUS_CASES));
    // The toolkit code system (ITK 2.1 nacks, DET) is accepted too.
    let t = edit(INF_ACK, "codeSystem=\"2.16.840.1.113883.2.1.3.2.4.17.516\">DE0006", "codeSystem=\"2.16.840.1.113883.2.1.3.2.4.17.268\">1000");
    let t = edit(&t, "Distribution Envelope Manifest Processing Error", "Invalid message");
    assert_clean(&t, &["ACK011", "ACK012"]);
}

fn cut(base: &str, from: &str, to: &str) -> String {
    let s = base.find(from).expect("from");
    let e = base[s..].find(to).expect("to") + s + to.len();
    format!("{}{}", &base[..s], &base[e..])
}

#[test]
fn ack006_ack007_missing_errors() {
    let text = cut(INF_ACK, "<itk:errors>", "</itk:errors>\n");
    assert_at(&run(&text), &text, "ACK006", "<itk:InfrastructureResponse", Severity::Error);
    let text = cut(INF_ACK, "<itk:errorInfo>", "</itk:errorInfo>\n");
    assert_at(&run(&text), &text, "ACK007", "<itk:errors>", Severity::Error);
}
