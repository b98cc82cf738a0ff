import { describe, expect, it } from 'vitest';
import { citizensOf } from './pubsub-access.ts';

describe('who an event is about', () => {
  it('names every citizen id of a birth event (child, mother, father) and lists the fields as items', () => {
    const child = '3b241101-e2bb-4255-8caf-4136c566a962';
    const mother = '9C5B94B1-35AD-49BB-B118-8E8FC24ABF80';
    const event = { citizenId: child, birthDate: '2026-12-01', motherId: mother, fatherId: child, sido: '서울특별시', sigungu: '마포구' };
    const { citizens, items } = citizensOf(event);
    expect(citizens).toEqual([child, mother.toLowerCase()]);
    expect(items).toEqual(['citizenId', 'birthDate', 'motherId', 'fatherId', 'sido', 'sigungu']);
  });

  it('finds no one in an event without citizen ids, or with ids that are not UUIDs', () => {
    expect(citizensOf({ benefitId: 'B-12', amount: 3 }).citizens).toEqual([]);
    expect(citizensOf([{ citizenId: '3b241101-e2bb-4255-8caf-4136c566a962' }]).citizens).toEqual([]);
    expect(citizensOf(null).citizens).toEqual([]);
  });
});
