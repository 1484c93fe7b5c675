// Pinokio distance sensor: an Arduino Uno with an HC-SR04 ultrasonic sensor, read by the kiosk's
// device agent (agent/, `pinokio-agent`) over USB serial at 9600 baud.
//
// Line protocol (every line ends with '\n'; a '\r' before it is ignored):
//   agent -> sensor   GET_DISTANCE
//   sensor -> agent   123.4            the distance in centimetres, one decimal
//                     ERR timeout      no echo came back (nothing in range, or the sensor is loose)
//                     ERR unknown      any other non-empty line
//                     ERR too long     a line longer than the buffer (discarded up to its '\n')
// The sensor never speaks unasked, so every line the agent reads answers one request.

const uint8_t TRIG_PIN = 9;
const uint8_t ECHO_PIN = 10;
const long BAUD = 9600;

// The HC-SR04 reads up to about 400 cm: an echo longer than this (about 430 cm) is "no echo".
const unsigned long ECHO_TIMEOUT_US = 25000UL;
// Sound travels 0.0343 cm/us, there and back.
const float US_PER_CM = 58.3f;
// The datasheet asks for at least 60 ms between pings so an old echo is not read as a new one.
const unsigned long PING_GAP_MS = 60;
const uint8_t PINGS = 3;

const uint8_t LINE_CAPACITY = 24;
char line[LINE_CAPACITY];
uint8_t lineLength = 0;
bool lineOverflowed = false;

// One ping: the echo time in microseconds, or 0 when no echo came back in time.
unsigned long pingMicroseconds() {
  digitalWrite(TRIG_PIN, LOW);
  delayMicroseconds(2);
  digitalWrite(TRIG_PIN, HIGH);
  delayMicroseconds(10);
  digitalWrite(TRIG_PIN, LOW);
  return pulseIn(ECHO_PIN, HIGH, ECHO_TIMEOUT_US);
}

// The median of the pings that came back: one stray echo (a sleeve, a passing bag) does not move it.
// Returns false when no ping came back.
bool measureCentimetres(float *centimetres) {
  unsigned long echoes[PINGS];
  uint8_t count = 0;
  for (uint8_t i = 0; i < PINGS; i++) {
    if (i > 0) delay(PING_GAP_MS);
    unsigned long echo = pingMicroseconds();
    if (echo == 0) continue;
    // insertion sort: at most three values
    uint8_t at = count;
    while (at > 0 && echoes[at - 1] > echo) {
      echoes[at] = echoes[at - 1];
      at--;
    }
    echoes[at] = echo;
    count++;
  }
  if (count == 0) return false;
  // with two echoes their mean, otherwise the middle one
  float median = (count % 2 == 1) ? echoes[count / 2] : (echoes[count / 2 - 1] + echoes[count / 2]) / 2.0f;
  *centimetres = median / US_PER_CM;
  return true;
}

void answer(const char *request) {
  if (request[0] == '\0') return; // an empty line (a bare "\r\n") is not a request
  if (strcmp(request, "GET_DISTANCE") == 0) {
    float centimetres;
    if (measureCentimetres(&centimetres)) {
      Serial.println(centimetres, 1);
    } else {
      Serial.println(F("ERR timeout"));
    }
    return;
  }
  Serial.println(F("ERR unknown"));
}

void setup() {
  pinMode(TRIG_PIN, OUTPUT);
  digitalWrite(TRIG_PIN, LOW);
  pinMode(ECHO_PIN, INPUT);
  Serial.begin(BAUD);
}

void loop() {
  while (Serial.available() > 0) {
    char received = (char)Serial.read();
    if (received == '\r') continue;
    if (received == '\n') {
      if (lineOverflowed) {
        Serial.println(F("ERR too long"));
      } else {
        line[lineLength] = '\0';
        answer(line);
      }
      lineLength = 0;
      lineOverflowed = false;
      continue;
    }
    if (lineLength < LINE_CAPACITY - 1) {
      line[lineLength++] = received;
    } else {
      lineOverflowed = true;
    }
  }
}
