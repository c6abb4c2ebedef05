// Sample messages, bundled into the script so that choosing one needs no network request.
// They are copies of corpus files (tests/corpus/SOURCES.md names their origin).
import cdaNullification from '../samples/itk2-cda-nullification.xml';
import base64Payload from '../samples/itk2-base64-payload.xml';
import fhirReport from '../samples/itk3-consultation-report.xml';

export const SAMPLES = [
  { id: 'itk2-cda', title: 'ITK 2: SOAP + Distribution Envelope + NHS CDA', text: cdaNullification },
  { id: 'itk2-base64', title: 'ITK 2: base64-encoded CDA payload', text: base64Payload },
  { id: 'itk3-fhir', title: 'ITK3: FHIR message Bundle (XML)', text: fhirReport },
];
