//! Generated inputs for the bench rows (`cargo xtask bench`): an ITK3 eDischarge message whose
//! document payload holds `n` Observation entries, each referencing the Patient, so the reference
//! index and every per-node check are exercised. Validation time should grow linearly with `n`.

/// A valid-shaped ITK3 message bundle (XML) with a document payload of `n` extra entries.
pub fn itk3_bundle(n: usize) -> String {
    let mut s = String::with_capacity(600 * n + 4096);
    s.push_str(concat!(
        "<Bundle xmlns=\"http://hl7.org/fhir\">\n",
        "<id value=\"b0000000-0000-4000-8000-000000000001\"/>\n",
        "<meta><profile value=\"https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Message-Bundle-1\"/></meta>\n",
        "<identifier><system value=\"https://tools.ietf.org/html/rfc4122\"/><value value=\"b0000000-0000-4000-8000-000000000002\"/></identifier>\n",
        "<type value=\"message\"/>\n",
        "<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000001\"/><resource><MessageHeader>\n",
        "<id value=\"a0000000-0000-4000-8000-000000000001\"/>\n",
        "<meta><profile value=\"https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2\"/></meta>\n",
        "<extension url=\"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2\">\n",
        "<extension url=\"BusAckRequested\"><valueBoolean value=\"true\"/></extension>\n",
        "<extension url=\"InfAckRequested\"><valueBoolean value=\"true\"/></extension>\n",
        "<extension url=\"RecipientType\"><valueCoding><system value=\"https://fhir.nhs.uk/STU3/CodeSystem/ITK-RecipientType-1\"/><code value=\"FA\"/><display value=\"For Action\"/></valueCoding></extension>\n",
        "<extension url=\"MessageDefinition\"><valueReference><reference value=\"https://fhir.nhs.uk/STU3/MessageDefinition/ITK-eDischarge-MessageDefinition-4\"/></valueReference></extension>\n",
        "<extension url=\"SenderReference\"><valueString value=\"None\"/></extension>\n",
        "<extension url=\"LocalExtension\"><valueString value=\"None\"/></extension>\n",
        "</extension>\n",
        "<event><system value=\"https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2\"/><code value=\"ITK003D\"/><display value=\"ITK eDischarge\"/></event>\n",
        "<sender><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/></sender>\n",
        "<timestamp value=\"2020-01-01T10:00:00+00:00\"/>\n",
        "<source><endpoint value=\"MAILBOX01\"/></source>\n",
        "<focus><reference value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/></focus>\n",
        "</MessageHeader></resource></entry>\n",
        "<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000002\"/><resource><Organization>\n",
        "<id value=\"a0000000-0000-4000-8000-000000000002\"/>\n",
        "<meta><profile value=\"https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-ITK-Header-Organization-1\"/></meta>\n",
        "<identifier><system value=\"https://fhir.nhs.uk/Id/ods-organization-code\"/><value value=\"RA9\"/></identifier>\n",
        "</Organization></resource></entry>\n",
        "<entry><fullUrl value=\"urn:uuid:a0000000-0000-4000-8000-000000000003\"/><resource><Bundle>\n",
        "<id value=\"a0000000-0000-4000-8000-000000000003\"/>\n",
        "<meta><lastUpdated value=\"2020-01-01T10:00:00+00:00\"/></meta>\n",
        "<identifier><system value=\"https://tools.ietf.org/html/rfc4122\"/><value value=\"c0000000-0000-4000-8000-000000000001\"/></identifier>\n",
        "<type value=\"document\"/>\n",
        "<entry><fullUrl value=\"urn:uuid:d0000000-0000-4000-8000-000000000001\"/><resource><Composition>\n",
        "<id value=\"d0000000-0000-4000-8000-000000000001\"/>\n",
        "<extension url=\"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-CareSettingType-1\"><valueCodeableConcept><coding><system value=\"http://snomed.info/sct\"/><code value=\"892811000000109\"/><display value=\"Adult mental health service\"/></coding></valueCodeableConcept></extension>\n",
        "<identifier><system value=\"https://tools.ietf.org/html/rfc4122\"/><value value=\"c0000000-0000-4000-8000-000000000002\"/></identifier>\n",
        "<status value=\"final\"/>\n",
        "<type><coding><system value=\"http://snomed.info/sct\"/><code value=\"373942005\"/><display value=\"Discharge summary\"/></coding></type>\n",
        "<subject><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></subject>\n",
        "<date value=\"2020-01-01T10:00:00+00:00\"/>\n",
        "<author><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></author>\n",
        "<title value=\"Discharge summary\"/>\n",
        "<section><title value=\"Allergies and adverse reactions\"/><code><coding><system value=\"http://snomed.info/sct\"/><code value=\"886921000000105\"/><display value=\"Allergies and adverse reactions\"/></coding></code>",
        "<text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">No known allergies</div></text></section>\n",
        "<section><title value=\"Patient demographics\"/><code><coding><system value=\"http://snomed.info/sct\"/><code value=\"886731000000109\"/><display value=\"Patient demographics\"/></coding></code>",
        "<text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">Patient</div></text>",
        "<entry><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></entry></section>\n",
        "</Composition></resource></entry>\n",
        "<entry><fullUrl value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/><resource><Patient>\n",
        "<id value=\"d0000000-0000-4000-8000-000000000002\"/>\n",
        "<identifier><extension url=\"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1\"><valueCodeableConcept><coding><system value=\"https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1\"/><code value=\"01\"/><display value=\"Number present and verified\"/></coding></valueCodeableConcept></extension>",
        "<system value=\"https://fhir.nhs.uk/Id/nhs-number\"/><value value=\"9434765919\"/></identifier>\n",
        "<name><use value=\"official\"/><family value=\"Smith\"/></name>\n",
        "</Patient></resource></entry>\n",
    ));
    for i in 0..n {
        let id = format!("e0000000-0000-4000-8000-{:012x}", i + 1);
        s.push_str(&format!(
            "<entry><fullUrl value=\"urn:uuid:{id}\"/><resource><Observation><id value=\"{id}\"/><status value=\"final\"/>\
<code><coding><system value=\"http://snomed.info/sct\"/><code value=\"75367002\"/><display value=\"Blood pressure\"/></coding></code>\
<subject><reference value=\"urn:uuid:d0000000-0000-4000-8000-000000000002\"/></subject>\
<effectiveDateTime value=\"2020-01-01T10:00:00+00:00\"/><valueQuantity><value value=\"{}\"/><unit value=\"mmHg\"/></valueQuantity></Observation></resource></entry>\n",
            100 + i % 50
        ));
    }
    s.push_str("</Bundle></resource></entry>\n</Bundle>\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_bundle_is_clean_itk3() {
        let xml = super::itk3_bundle(20);
        let r = crate::validate("bench.xml", xml.as_bytes(), &crate::Options::default());
        let errs: Vec<_> = r.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).map(|d| format!("{} {} {}", d.code, d.path, d.message)).collect();
        assert!(errs.is_empty(), "{errs:#?}");
        assert_eq!(r.layers.len(), 3, "message bundle, document bundle, Composition");
    }
}

#[cfg(test)]
mod size {
    /// Not a timing test: the 10,000-entry bench input parses into the expected layers and
    /// yields no errors (the bench row times it).
    #[test]
    fn ten_thousand_entries() {
        let xml = super::itk3_bundle(10_000);
        let r = crate::validate("bench.xml", xml.as_bytes(), &crate::Options::default());
        assert_eq!(r.summary.errors, 0);
    }
}
