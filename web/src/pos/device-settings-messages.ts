// The 장치 설정 tab's words for one kiosk's own settings (the store-wide words are pos.devices):
// hooked into the dictionaries as `kioskDevices`.

export const kioskDevicesKo = {
  targetLabel: '어느 키오스크의 설정인가요?',
  targetHint: '매장 전체를 고르면 모든 키오스크에 적용됩니다. 키오스크 하나를 고르면 그 키오스크만 따로 정할 수 있습니다.',
  wholeStore: '매장 전체 (모든 키오스크)',
  kioskOption: (name: string) => `키오스크: ${name}`,
  kioskIntro: (name: string) => `‘${name}’ 키오스크의 설정입니다. 따로 정하지 않은 값은 매장 설정을 따릅니다. 저장하면 이 키오스크에 바로 전해집니다.`,
  overrideToggle: '이 키오스크만 따로 정하기',
  inherited: (value: string) => `매장 설정을 따릅니다: ${value}`,
  overridden: (value: string) => `따로 정함 · 매장 설정은 ${value}`,
  save: '이 키오스크 설정 저장',
  saved: (name: string) => `‘${name}’ 키오스크 설정을 저장했습니다. 키오스크에 바로 전해집니다.`,
  reset: '모두 매장 설정으로 되돌리기',
  resetDone: (name: string) => `‘${name}’ 키오스크가 다시 매장 설정을 따릅니다.`,
  summary: (count: number) => (count === 0 ? '모든 값이 매장 설정을 따릅니다.' : `${count}개 값을 따로 정했습니다.`),
  noKiosks: '아직 키오스크가 없습니다. 키오스크 탭에서 추가하면 키오스크마다 따로 정할 수 있습니다.',
};

export const kioskDevicesEn: typeof kioskDevicesKo = {
  targetLabel: 'Which kiosk are these settings for?',
  targetHint: 'The whole store applies to every kiosk. Choose one kiosk to give it values of its own.',
  wholeStore: 'Whole store (every kiosk)',
  kioskOption: (name: string) => `Kiosk: ${name}`,
  kioskIntro: (name: string) => `Settings of the kiosk “${name}”. A value you do not set here follows the store's. Saving sends them to this kiosk at once.`,
  overrideToggle: 'Set for this kiosk only',
  inherited: (value: string) => `Follows the store: ${value}`,
  overridden: (value: string) => `Set for this kiosk · the store's is ${value}`,
  save: "Save this kiosk's settings",
  saved: (name: string) => `Saved the settings of “${name}”. The kiosk receives them at once.`,
  reset: "Reset all to the store's settings",
  resetDone: (name: string) => `“${name}” follows the store's settings again.`,
  summary: (count: number) => (count === 0 ? "Every value follows the store's." : `${count} value${count === 1 ? '' : 's'} set for this kiosk.`),
  noKiosks: 'No kiosks yet. Add one on the Kiosks tab to give it settings of its own.',
};
